package dev.lectern.inference.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lectern.inference.gguf.GgufFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every string of llama.cpp's tokenizer test file, tokenized with each GGUF vocabulary, must give
 * exactly the ids of the matching {@code .out} file (made with each model's reference tokenizer; the
 * gpt-oss one with tiktoken-compatible jtokkit). See {@code shared/models/PROVENANCE.md}.
 */
class VocabularyPairsTest {

    static final Path VOCAB = Path.of("src/test/resources/shared/models/vocab");
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    /** The test strings of an {@code .inp} file. */
    static List<String> inputs(String name) throws IOException {
        String text = Files.readString(VOCAB.resolve("ggml-vocab-" + name + ".gguf.inp"), StandardCharsets.UTF_8);
        List<String> parts = new ArrayList<>(Arrays.asList(text.split(SEPARATOR, -1)));
        // The file ends with a separator: the last element is the empty text after it.
        if (parts.getLast().isEmpty()) {
            parts.removeLast();
        }
        return parts;
    }

    /** The expected ids, one line per test string. */
    static List<int[]> outputs(String name) throws IOException {
        List<int[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(VOCAB.resolve("ggml-vocab-" + name + ".gguf.out"), StandardCharsets.UTF_8)) {
            String t = line.strip();
            out.add(t.isEmpty() ? new int[0] : Arrays.stream(t.split("\\s+")).mapToInt(Integer::parseInt).toArray());
        }
        return out;
    }

    private static final Map<String, Tokenizer> LOADED = new ConcurrentHashMap<>();

    /** The tokenizer of a vocabulary file, loaded once for all tests of the run. */
    static Tokenizer tokenizer(String name) {
        return LOADED.computeIfAbsent(name, n -> GgufVocabulary.tokenizer(GgufFile.open(VOCAB.resolve("ggml-vocab-" + n + ".gguf"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "phi-3", "gpt-2", "llama-bpe", "qwen2", "gpt-oss", "bert-bge"})
    void everyPairMatchesExactly(String name) throws IOException {
        Tokenizer tokenizer = tokenizer(name);
        List<String> inputs = inputs(name);
        List<int[]> outputs = outputs(name);
        assertEquals(inputs.size(), outputs.size(), "strings in .inp vs lines in .out");
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            int[] actual = tokenizer.encode(inputs.get(i), false, false);
            if (!Arrays.equals(outputs.get(i), actual)) {
                failures.add("#" + i + " '" + inputs.get(i).replace("\n", "\\n") + "'\n  expected " + Arrays.toString(outputs.get(i))
                        + "\n  actual   " + Arrays.toString(actual));
            }
        }
        assertTrue(failures.isEmpty(), name + ": " + failures.size() + " of " + inputs.size() + " differ:\n" + String.join("\n", failures));
        assertEquals(46, inputs.size());
    }
}
