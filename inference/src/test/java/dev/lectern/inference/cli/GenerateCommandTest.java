package dev.lectern.inference.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lectern generate} end to end on stories260K: text through the tokenizer, the model and back. */
class GenerateCommandTest {
    static final Path MODELS = Path.of("src/test/resources/shared/models");

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new GenerateCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void greedyGenerationThroughTheTokenizerMatchesLlamaCpp() {
        // llama.cpp's greedy continuation of "Once upon a time" (reference/stories260K/once_upon_a_time.json).
        Run r = run("--model", MODELS.resolve("gguf/stories260K.gguf").toString(), "--prompt", "Once upon a time",
                "--temperature", "0", "--max-tokens", "24", "--threads", "2");
        assertEquals(0, r.exit(), r.err());
        // The first 24 pieces of llama.cpp's greedy steps for this prompt.
        assertEquals(", there was a little girl named Lily. She loved to play outside in the p",
                r.out().strip());
        assertTrue(r.err().matches("(?s)prompt: 5 tokens, [0-9.]+ tok/s; generation: 24 tokens, [0-9.]+ tok/s; stop: max_tokens\\s*"),
                r.err());
    }

    @Test
    void sameSeedGivesSameSampledText() {
        String[] args = {"--model", MODELS.resolve("gguf/stories260K.gguf").toString(), "--prompt", "The little girl",
                "--temperature", "1.0", "--seed", "7", "--max-tokens", "30"};
        Run a = run(args);
        String[] twoThreads = Arrays.copyOf(args, args.length + 2);
        twoThreads[args.length] = "--threads";
        twoThreads[args.length + 1] = "2";
        Run b = run(twoThreads);
        assertEquals(0, a.exit(), a.err());
        assertEquals(a.out(), b.out());
        assertTrue(a.out().strip().length() > 20, a.out());
    }

    @Test
    void chatFormatByNameWrapsThePrompt() {
        // stories260K has no chat template; naming llama2 wraps the prompt in [INST] … [/INST], which this
        // 512-token vocabulary spells out of ordinary pieces: the prompt grows well beyond the plain 5 tokens.
        Run r = run("--model", MODELS.resolve("gguf/stories260K.gguf").toString(), "--prompt", "Once upon a time",
                "--chat", "--chat-format", "llama2", "--system", "Be brief.", "--temperature", "0", "--max-tokens", "4");
        assertEquals(0, r.exit(), r.err());
        int promptTokens = Integer.parseInt(r.err().replaceAll("(?s)^prompt: (\\d+) tokens.*", "$1"));
        assertTrue(promptTokens > 15, r.err());
    }

    @Test
    void unknownChatFormatAndSystemWithoutChatAreOneClearLine() {
        Run r = run("--model", MODELS.resolve("gguf/stories260K.gguf").toString(), "--prompt", "hi", "--chat",
                "--chat-format", "vicuna");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("lectern generate: chat format: expected llama3, chatml"), r.err());
        Run s = run("--model", MODELS.resolve("gguf/stories260K.gguf").toString(), "--prompt", "hi", "--system", "x");
        assertEquals("lectern generate: --system: only applies with --chat", s.err().strip());
    }

    @Test
    void missingFileIsOneClearLine() {
        Run r = run("--model", "no/such/model.gguf", "--prompt", "hi");
        assertEquals(1, r.exit());
        assertEquals("lectern generate: no/such/model.gguf: model file not found", r.err().strip());
    }

    @Test
    void unsupportedArchitectureIsOneClearLine() {
        Run r = run("--model", MODELS.resolve("synthetic/tiny-bert-f16.gguf").toString(), "--prompt", "hi");
        assertEquals(1, r.exit());
        assertTrue(r.err().strip().startsWith("lectern generate: "), r.err());
        assertTrue(r.err().contains("'general.architecture' is 'bert'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void truncatedFileIsOneClearLine(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(MODELS.resolve("gguf/stories260K.gguf"));
        Path cut = dir.resolve("cut.gguf");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        Run r = run("--model", cut.toString(), "--prompt", "hi");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("lectern generate: " + cut), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void promptLongerThanTheContextIsOneClearLine() {
        Run r = run("--model", MODELS.resolve("gguf/stories260K.gguf").toString(), "--prompt",
                "Once upon a time there was a little girl", "--context", "4");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("lectern generate: context overflow:"), r.err());
    }
}
