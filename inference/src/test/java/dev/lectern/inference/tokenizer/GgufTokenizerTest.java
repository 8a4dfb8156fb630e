package dev.lectern.inference.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Special tokens, BOS/EOS, end of generation and decoding, on the real GGUF vocabularies. */
class GgufTokenizerTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "phi-3", "gpt-2", "llama-bpe", "qwen2", "gpt-oss"})
    void decodeAndStreamingDecodeGiveTheTextBack(String name) throws IOException {
        Tokenizer tokenizer = VocabularyPairsTest.tokenizer(name);
        boolean spm = tokenizer instanceof SentencePieceTokenizer;
        for (String text : VocabularyPairsTest.inputs(name)) {
            int[] ids = tokenizer.encode(text, true, false);
            assertEquals(text, tokenizer.decode(ids), name);
            // Token by token, only whole characters come out; SentencePiece's added space stays in.
            StreamingDecoder decoder = tokenizer.newDecoder();
            StringBuilder streamed = new StringBuilder();
            for (int id : ids) {
                if (!tokenizer.isControl(id)) {
                    String part = decoder.append(id);
                    assertFalse(part.contains("\uFFFD"), name + ": broken character in '" + part + "'");
                    streamed.append(part);
                }
            }
            streamed.append(decoder.finish());
            assertEquals(spm && !text.isEmpty() ? " " + text : text, streamed.toString(), name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "phi-3", "gpt-2", "llama-bpe", "qwen2", "gpt-oss"})
    void longMixedTextRoundTrips(String name) {
        // 100k characters drawn (seeded) from letters of several scripts, combining marks, digits, emoji,
        // punctuation, long space runs and newlines: no exception, and decoding gives the text back. (Not '▁':
        // SentencePiece writes spaces as '▁', so a literal one in the text comes back as a space, as in llama.cpp.)
        String[] alphabet = {"a", "Z", "é", "ß", "ж", "Ω", "中", "文", "ក", "ា", "់", "\u0301", "7", "٣", "🚀", "👍🏽",
            " ", "  ", "        ", "\n", "\r\n", "\t", "\u00a0", "'s", "'LL", ".", "...", "!", "-", "/", "<", "|", ">", "<|"};
        java.util.Random random = new java.util.Random(20261125L);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 100_000) {
            sb.append(alphabet[random.nextInt(alphabet.length)]);
        }
        String text = sb.toString();
        Tokenizer tokenizer = VocabularyPairsTest.tokenizer(name);
        assertEquals(text, tokenizer.decode(tokenizer.encode(text, true, true)), name);
    }

    @Test
    void llama3SpecialTokensAndBos() {
        Tokenizer t = VocabularyPairsTest.tokenizer("llama-bpe");
        assertInstanceOf(ByteLevelBpeTokenizer.class, t);
        assertEquals(128000, t.bosId());
        assertEquals(128009, t.eosId());
        int[] plain = t.encode("Hello", false, false);
        assertArrayEquals(concat(new int[] {128000}, plain), t.encode("Hello", true, false));
        assertArrayEquals(concat(new int[] {128006}, plain), t.encode("<|start_header_id|>Hello", false, true));
        int[] literal = t.encode("<|start_header_id|>", false, false);
        assertTrue(literal.length > 1, "without parseSpecial the marker is ordinary text: " + Arrays.toString(literal));
        assertEquals("<|eot_id|>", t.piece(128009));
        assertTrue(t.isEndOfGeneration(128009));
        assertTrue(t.isEndOfGeneration(t.tokenId("<|end_of_text|>")));
        assertFalse(t.isEndOfGeneration(128006));
        assertTrue(t.isControl(128006));
        assertEquals("<|eot_id|>", new String(t.tokenBytes(128009), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("Hello", t.decode(t.encode("<|start_header_id|>Hello<|eot_id|>", true, true)));
    }

    @Test
    void qwenAndGptOssEndOfGeneration() {
        Tokenizer qwen = VocabularyPairsTest.tokenizer("qwen2");
        assertEquals(151645, qwen.tokenId("<|im_end|>"));
        assertTrue(qwen.isEndOfGeneration(151645));
        assertTrue(qwen.isEndOfGeneration(151643)); // <|endoftext|>
        assertFalse(qwen.isEndOfGeneration(151644)); // <|im_start|>
        assertArrayEquals(new int[0], qwen.encode("", true, false), "Qwen adds no BOS");

        // o200k_harmony: <|return|> and <|call|> end the turn; <|end|> only ends a message (see HarmonyFormat).
        Tokenizer oss = VocabularyPairsTest.tokenizer("gpt-oss");
        assertEquals(200002, oss.tokenId("<|return|>"));
        assertTrue(oss.isEndOfGeneration(200002));
        assertTrue(oss.isEndOfGeneration(200012));
        assertTrue(oss.isEndOfGeneration(199999));
        assertFalse(oss.isEndOfGeneration(200007));
        assertArrayEquals(new int[] {200006, 200008}, oss.encode("<|start|><|message|>", false, true));
    }

    @Test
    void sentencePieceBosAndSpecialFragments() {
        Tokenizer t = VocabularyPairsTest.tokenizer("llama-spm");
        assertEquals(1, t.bosId());
        assertEquals(2, t.eosId());
        assertArrayEquals(new int[] {1}, t.encode("", true, false));
        // "Hello" after a special token gets the space prefix again, as in llama.cpp.
        int[] hello = t.encode("Hello", false, false);
        assertArrayEquals(concat(concat(new int[] {1}, hello), concat(new int[] {2}, hello)), t.encode("<s>Hello</s>Hello", false, true));
        assertTrue(t.isEndOfGeneration(2));
        // byte fallback decodes: U+1F680 (rocket) is four byte tokens <0xF0><0x9F><0x9A><0x80> in Llama 2
        int[] rocket = t.encode("🚀", false, false);
        assertArrayEquals(new int[] {29871, 243, 162, 157, 131}, rocket);
        assertEquals("🚀", t.decode(rocket));
    }

    @Test
    void unknownModelOrPreTokenizerIsAClearError() {
        Vocabulary v = GgufVocabulary.read(VocabularyPairsTest.VOCAB.resolve("ggml-vocab-gpt-2.gguf"));
        Vocabulary unknownPre = new Vocabulary(v.source(), v.model(), "no-such-pre", v.tokens(), v.scores(), v.types(), v.merges(),
                v.bosId(), v.eosId(), v.eotId(), v.unknownId(), v.paddingId(), v.addBos(), v.addEos(), v.addSpacePrefix(), null);
        VocabularyException e = assertThrows(VocabularyException.class, () -> Tokenizers.create(unknownPre));
        assertEquals("tokenizer.ggml.pre", e.key());
        assertTrue(e.getMessage().startsWith("ggml-vocab-gpt-2.gguf: tokenizer.ggml.pre: expected"), e.getMessage());
        Vocabulary noMerges = new Vocabulary(v.source(), v.model(), v.pre(), v.tokens(), v.scores(), v.types(), null,
                v.bosId(), v.eosId(), v.eotId(), v.unknownId(), v.paddingId(), v.addBos(), v.addEos(), v.addSpacePrefix(), null);
        assertEquals("tokenizer.ggml.merges", assertThrows(VocabularyException.class, () -> Tokenizers.create(noMerges)).key());
        Vocabulary bert = GgufVocabulary.read(VocabularyPairsTest.VOCAB.resolve("ggml-vocab-bert-bge.gguf"));
        assertEquals("bert", bert.model());
        assertInstanceOf(WordPieceTokenizer.class, Tokenizers.create(bert));
        Vocabulary unknownModel = new Vocabulary(v.source(), "rwkv", v.pre(), v.tokens(), v.scores(), v.types(), v.merges(),
                v.bosId(), v.eosId(), v.eotId(), v.unknownId(), v.paddingId(), v.addBos(), v.addEos(), v.addSpacePrefix(), null);
        assertEquals("tokenizer.ggml.model", assertThrows(VocabularyException.class, () -> Tokenizers.create(unknownModel)).key());
    }

    @Test
    void preTokenizerSplitsAsTheReferenceRegexes() {
        PreTokenizer o200k = PreTokenizer.forName("gpt-4o", "test");
        // Combining marks belong to the word in o200k (tiktoken); llama.cpp's approximation splits here.
        assertEquals(List.of("កាន់"), o200k.split("កាន់"));
        // o200k keeps a contraction on its word, and digits (in threes) never take the space before them.
        assertEquals(List.of("Hello", " World's", " ", "123", "4", "!!!\n"), o200k.split("Hello World's 1234!!!\n"));
        PreTokenizer llama3 = PreTokenizer.forName("llama-bpe", "test");
        assertEquals(List.of("Hello", " World", "'s", " ", "123", "4", "!!!\n"), llama3.split("Hello World's 1234!!!\n"));
        assertEquals(List.of("a", "\u00a0", "\u00a0b"), llama3.split("a\u00a0\u00a0b"));
        PreTokenizer qwen = PreTokenizer.forName("qwen2", "test");
        assertEquals(List.of("1", "2", "3"), qwen.split("123"));
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
