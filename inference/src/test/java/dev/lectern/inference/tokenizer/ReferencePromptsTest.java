package dev.lectern.inference.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lectern.inference.gguf.GgufFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model references made with llama.cpp ({@code shared/reference/*}/*.json): the prompt tokenized with
 * {@code add_special=true, parse_special=false} gives {@code prompt_ids}, and the generated ids decode to
 * exactly the bytes of {@code generated_text_hex}.
 */
class ReferencePromptsTest {

    private static final Path SHARED = Path.of("src/test/resources/shared");
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> references() throws IOException {
        try (Stream<Path> files = Files.list(SHARED.resolve("reference"))) {
            List<Path> dirs = files.filter(Files::isDirectory).sorted().toList();
            return dirs.stream().flatMap(dir -> Stream.of("bos.json", "once_upon_a_time.json", "the_little_girl.json")
                    .map(dir::resolve).filter(Files::exists));
        }
    }

    @ParameterizedTest
    @MethodSource("references")
    void promptIdsAndGeneratedBytesMatchLlamaCpp(Path reference) throws IOException {
        JsonNode ref = JSON.readTree(reference.toFile());
        // "model" is the path under shared/, sometimes followed by a note (", upcast to …").
        String model = ref.get("model").asText().split(",")[0].strip();
        Tokenizer tokenizer = GgufVocabulary.tokenizer(GgufFile.open(SHARED.resolve(model)));
        int[] expectedPrompt = ids(ref.get("prompt_ids"));
        assertTrue(ref.get("add_special").asBoolean());
        assertArrayEquals(expectedPrompt, tokenizer.encode(ref.get("prompt_text").asText(), true, false), reference.toString());

        int[] generated = ids(ref.get("generated_ids"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : generated) {
            bytes.writeBytes(tokenizer.tokenBytes(id));
        }
        assertEquals(ref.get("generated_text_hex").asText(), HexFormat.of().formatHex(bytes.toByteArray()), reference.toString());
    }

    private static int[] ids(JsonNode array) {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = array.get(i).asInt();
        }
        return ids;
    }
}
