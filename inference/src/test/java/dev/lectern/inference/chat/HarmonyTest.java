package dev.lectern.inference.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.tokenizer.GgufVocabulary;
import dev.lectern.inference.tokenizer.StreamingDecoder;
import dev.lectern.inference.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Harmony rendering and parsing. Vectors come from OpenAI's public harmony guide
 * (openai/openai-cookbook, {@code articles/openai-harmony.md}): its system and developer message
 * examples, its "What is 2 + 2?" conversation, its StreamableParser token list, and its
 * {@code get_weather} tool-call output.
 */
class HarmonyTest {

    private static Tokenizer oss;

    @BeforeAll
    static void load() {
        oss = GgufVocabulary.tokenizer(GgufFile.open(Path.of("src/test/resources/shared/models/vocab/ggml-vocab-gpt-oss.gguf")));
    }

    @Test
    void rendersSystemDeveloperAndUserAsTheGuideShows() {
        // The guide's full example minus its '# Tools' sections and the functions note that goes with them.
        String expected = "<|start|>system<|message|>You are ChatGPT, a large language model trained by OpenAI.\n"
                + "Knowledge cutoff: 2024-06\nCurrent date: 2025-06-28\n\nReasoning: high\n\n"
                + "# Valid channels: analysis, commentary, final. Channel must be included for every message.<|end|>"
                + "<|start|>developer<|message|># Instructions\n\nUse a friendly tone.<|end|>"
                + "<|start|>user<|message|>What is the weather like in SF?<|end|><|start|>assistant";
        HarmonyFormat f = new HarmonyFormat(ReasoningEffort.HIGH, "2024-06", "2025-06-28");
        assertEquals(expected, f.render("Use a friendly tone.", "What is the weather like in SF?"));
    }

    @Test
    void reasoningEffortAndNoDateByDefault() {
        String low = new HarmonyFormat().withReasoningEffort(ReasoningEffort.parse("LOW")).render(null, "What is 2 + 2?");
        assertEquals("<|start|>system<|message|>You are ChatGPT, a large language model trained by OpenAI.\n"
                + "Knowledge cutoff: 2024-06\n\nReasoning: low\n\n"
                + "# Valid channels: analysis, commentary, final. Channel must be included for every message.<|end|>"
                + "<|start|>user<|message|>What is 2 + 2?<|end|><|start|>assistant", low);
        assertTrue(new HarmonyFormat().render(null, "x").contains("\nReasoning: medium\n"));
        assertThrows(IllegalArgumentException.class, () -> ReasoningEffort.parse("extreme"));
    }

    @Test
    void pastAnswersKeepOnlyTheFinalChannel() {
        // "drop any previous CoT content on subsequent sampling if the responses ended in a message to the final channel"
        String prompt = new HarmonyFormat().render(List.of(ChatMessage.user("What is 2 + 2?"), ChatMessage.assistant("2 + 2 = 4."),
                ChatMessage.user("What about 9 / 2?")));
        assertTrue(prompt.endsWith("<|start|>user<|message|>What is 2 + 2?<|end|>"
                + "<|start|>assistant<|channel|>final<|message|>2 + 2 = 4.<|end|>"
                + "<|start|>user<|message|>What about 9 / 2?<|end|><|start|>assistant"), prompt);
    }

    @Test
    void renderedPromptTokenizesToHarmonyControlTokens() {
        int[] ids = oss.encode(new HarmonyFormat().render(null, "Hi"), true, true);
        assertEquals(200006, ids[0], "no BOS: the prompt starts with <|start|>");
        assertEquals(200006, ids[ids.length - 2]);
        assertEquals(oss.tokenId("assistant"), ids[ids.length - 1]);
    }

    @Test
    void parsesTheGuidesStreamingExample() {
        // The token list of the guide's StreamableParser example (o200k_harmony ids).
        int[] tokens = {200005, 35644, 200008, 1844, 31064, 25, 392, 4827, 382, 220, 17, 659, 220, 17, 16842, 12295, 81645,
            13, 51441, 6052, 13, 200007, 200006, 173781, 200005, 17196, 200008, 17, 659, 220, 17, 314, 220, 19, 13, 200002};
        HarmonyParser parser = new HarmonyParser(oss);
        StringBuilder finalStream = new StringBuilder();
        for (int id : tokens) {
            boolean inFinal = parser.inChannel("final");
            String delta = parser.accept(id);
            if (inFinal) {
                finalStream.append(delta);
            }
        }
        assertTrue(parser.isDone());
        List<HarmonyMessage> messages = parser.messages();
        assertEquals(2, messages.size());
        assertEquals(new HarmonyMessage("assistant", "analysis", null, null,
                "User asks: \"What is 2 + 2?\" Simple arithmetic. Provide answer.", "<|end|>"), messages.get(0));
        assertEquals(new HarmonyMessage("assistant", "final", null, null, "2 + 2 = 4.", "<|return|>"), messages.get(1));
        assertEquals("2 + 2 = 4.", parser.finalText());
        assertEquals("2 + 2 = 4.", finalStream.toString());
        // What the guide shows as the model's output is exactly these tokens.
        assertEquals("<|channel|>analysis<|message|>User asks: \"What is 2 + 2?\" Simple arithmetic. Provide answer.<|end|>"
                + "<|start|>assistant<|channel|>final<|message|>2 + 2 = 4.<|return|>", render(tokens));
    }

    @Test
    void parsesAToolCall() {
        String output = "<|channel|>analysis<|message|>Need to use function get_weather.<|end|>"
                + "<|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>"
                + "{\"location\":\"San Francisco\"}<|call|>";
        HarmonyParser parser = new HarmonyParser(oss);
        for (int id : oss.encode(output, false, true)) {
            parser.accept(id);
        }
        assertTrue(parser.isDone());
        assertTrue(oss.isEndOfGeneration(oss.tokenId("<|call|>")));
        HarmonyMessage call = parser.messages().get(1);
        assertEquals(new HarmonyMessage("assistant", "commentary", "functions.get_weather", "json",
                "{\"location\":\"San Francisco\"}", "<|call|>"), call);
        assertNull(parser.finalText());
    }

    @Test
    void truncatedOutputKeepsTheOpenMessage() {
        int[] ids = oss.encode("<|channel|>analysis<|message|>Thinking about", false, true);
        List<HarmonyMessage> messages = HarmonyParser.parse(oss, ids);
        assertEquals(1, messages.size());
        assertEquals("Thinking about", messages.get(0).content());
        assertFalse(messages.get(0).isComplete());
    }

    @Test
    void needsAHarmonyVocabulary() {
        Tokenizer qwen = GgufVocabulary.tokenizer(GgufFile.open(Path.of("src/test/resources/shared/models/vocab/ggml-vocab-qwen2.gguf")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HarmonyParser(qwen));
        assertTrue(e.getMessage().contains("<|start|>"), e.getMessage());
    }

    private static String render(int[] ids) {
        StringBuilder sb = new StringBuilder();
        StreamingDecoder decoder = oss.newDecoder();
        for (int id : ids) {
            sb.append(decoder.append(id));
        }
        return sb.append(decoder.finish()).toString();
    }
}
