package dev.lectern.inference.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lectern.inference.gguf.GgufFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine API end to end: text in, through the tokenizer, the model and the sampler, text out. */
class EngineTest {

    /** The prompt text, the tokenizer, greedy decoding and the streamed text all agree with llama.cpp. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "gguf/stories260K.gguf, stories260K, once_upon_a_time, Once upon a time",
            "gguf/stories260K.gguf, stories260K, the_little_girl, The little girl",
            "synthetic/tiny-gpt-oss-f32.gguf, tiny-gpt-oss-f32, once_upon_a_time, Once upon a time"})
    void textToTextMatchesLlamaCpp(String modelFile, String reference, String prompt, String text) throws IOException {
        Reference ref = Reference.load(reference, prompt);
        String expectedText = new ObjectMapper()
                .readTree(Reference.ROOT.resolve("reference").resolve(reference).resolve(prompt + ".json").toFile())
                .get("generated_text").asText();
        try (Engine engine = Engine.load(Reference.model(modelFile), 2)) {
            assertArrayEquals(ref.promptIds(), engine.encodePrompt(text, false));
            StringBuilder streamed = new StringBuilder();
            GenerationResult r = engine.generate(text, false, GenerationOptions.greedy(ref.ids().length),
                    (id, piece) -> streamed.append(piece));
            assertArrayEquals(ref.ids(), r.generatedIds());
            assertEquals(StopReason.MAX_TOKENS, r.stopReason());
            if (!expectedText.contains("\uFFFD")) {
                assertEquals(expectedText, streamed.toString());
                assertEquals(expectedText, r.text());
            }
            assertEquals(r.text(), r.reply());
            assertEquals(ref.ids().length - 1, r.decodeSteps());
        }
    }

    /** Pipeline workers share one engine: concurrent sessions give exactly what each gives alone. */
    @Test
    void concurrentSessionsOnOneEngineGiveTheSameResultsAsAlone() throws Exception {
        try (Engine engine = Engine.load(Reference.model("gguf/stories260K.gguf"), 2)) {
            String[] prompts = {"Once upon a time", "The little girl", "One day, a cat", "Tom and Sue"};
            GenerationOptions sampled = new GenerationOptions(40,
                    dev.lectern.inference.sampling.SamplingParameters.defaults(11));
            String[] alone = new String[prompts.length];
            for (int i = 0; i < prompts.length; i++) alone[i] = engine.generate(prompts[i], false, sampled, TokenListener.NONE).text();

            String[] together = new String[prompts.length];
            Thread[] threads = new Thread[prompts.length];
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            for (int i = 0; i < prompts.length; i++) {
                int k = i;
                threads[i] = new Thread(() -> {
                    try {
                        together[k] = engine.generate(prompts[k], false, sampled, TokenListener.NONE).text();
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                threads[i].start();
            }
            for (Thread t : threads) t.join();
            if (failure.get() != null) throw new AssertionError(failure.get());
            assertArrayEquals(alone, together);
        }
    }

    /** Without reasoning in the output, a chat reply is the generated text itself. */
    @Test
    void chatReplyWithoutReasoningIsTheText() {
        try (Engine engine = Engine.load(Reference.model("gguf/stories260K.gguf"), 1)) {
            int[] ids = engine.encodePrompt("Once upon a time", false);
            GenerationResult plain = engine.generate(ids, false, GenerationOptions.greedy(8), TokenListener.NONE);
            GenerationResult chat = engine.generate(ids, true, GenerationOptions.greedy(8), TokenListener.NONE);
            assertEquals(plain.text(), plain.reply());
            assertEquals(plain.text(), chat.reply(), "no think block: the reply is the text");
        }
    }

    @Test
    void generationStopsAtTheContextEnd() {
        try (Engine engine = Engine.load(Reference.model("gguf/stories260K.gguf"), 1)) {
            Session s = engine.newSession(8);
            GenerationResult r = engine.generate(s, engine.encodePrompt("Once upon a time", false),
                    GenerationOptions.greedy(50), TokenListener.NONE);
            assertEquals(StopReason.CONTEXT_FULL, r.stopReason());
            assertEquals(8, s.position());
            assertEquals(4, r.generatedIds().length);
        }
    }

    @Test
    void emptyPromptWithoutBosIsRefusedClearly() {
        try (Engine engine = Engine.load(Reference.model("gguf/stories260K.gguf"), 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> engine.generate(engine.newSession(16), new int[0], GenerationOptions.greedy(4), TokenListener.NONE));
            assertEquals("empty prompt: it encodes to no tokens and the model adds no BOS", e.getMessage());
        }
    }

    @Test
    void missingModelFileIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Engine.load(Path.of("nowhere.gguf"), 1));
        assertEquals("nowhere.gguf: model file not found", e.getMessage());
    }

    @Test
    void bertIsNotADecoder() {
        GgufFormatException e = assertThrows(GgufFormatException.class,
                () -> Engine.load(Reference.model("synthetic/tiny-bert-f16.gguf"), 1));
        assertTrue(e.getMessage().contains("'general.architecture' is 'bert'"), e.getMessage());
    }
}
