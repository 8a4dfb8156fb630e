package dev.lectern.inference.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** SentencePiece BPE on a small hand-made vocabulary, where every expected id can be worked out by hand. */
class SentencePieceTokenizerTest {

    /** ids: 0 <unk>, 1 <s>, 2 </s>, 3..258 <0x00>..<0xFF>, then the pieces below in order. */
    private static final String[] PIECES = {"▁", "h", "e", "l", "o", "he", "ll", "hell", "hello", "▁hello", "▁w", "w", "or", "ld", "▁wor", "▁world", "<|user|>"};
    private static final float[] PIECE_SCORES = {-1, -2, -2, -2, -2, -3, -3, -4, -5, -1, -3, -2, -3, -3, -4, -2, 0};

    static Vocabulary vocabulary() {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Integer> types = new ArrayList<>(List.of(2, 3, 3));
        List<Float> scores = new ArrayList<>(List.of(0f, 0f, 0f));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format(Locale.ROOT, "<0x%02X>", b));
            types.add(6);
            scores.add(0f);
        }
        for (int i = 0; i < PIECES.length; i++) {
            tokens.add(PIECES[i]);
            types.add(PIECES[i].equals("<|user|>") ? 4 : 1);
            scores.add(PIECE_SCORES[i]);
        }
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
        }
        return new Vocabulary("toy-spm", "llama", null, tokens, s, types.stream().mapToInt(Integer::intValue).toArray(),
                null, 1, 2, Tokenizer.NO_TOKEN, 0, Tokenizer.NO_TOKEN, true, false, true, null);
    }

    private static int id(String piece) {
        return 259 + List.of(PIECES).indexOf(piece);
    }

    private final Tokenizer tokenizer = Tokenizers.create(vocabulary());

    @Test
    void mergesByScoreWithLeadingSpace() {
        assertArrayEquals(new int[] {id("▁hello"), id("▁world")}, tokenizer.encode("hello world", false, false));
    }

    @Test
    void addsBosWhenAsked() {
        assertArrayEquals(new int[] {1, id("▁hello")}, tokenizer.encode("hello", true, false));
        assertArrayEquals(new int[] {1}, tokenizer.encode("", true, false));
        assertArrayEquals(new int[0], tokenizer.encode("", false, false));
    }

    @Test
    void unknownCharactersFallBackToBytes() {
        // é is U+00E9 = C3 A9 in UTF-8; the byte tokens are 3 + byte value.
        assertArrayEquals(new int[] {id("▁"), 3 + 0xC3, 3 + 0xA9}, tokenizer.encode("é", false, false));
        assertEquals(" é", new String(concatBytes(tokenizer.encode("é", false, false)), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("é", tokenizer.decode(tokenizer.encode("é", true, false)));
    }

    @Test
    void controlTokensParsedOnlyWhenAsked() {
        assertArrayEquals(new int[] {1, id("▁hello")}, tokenizer.encode("<s>hello", false, true));
        int[] literal = tokenizer.encode("<s>", false, false);
        assertFalse(literal.length == 1 && literal[0] == 1, "'<s>' must be plain text without parseSpecial");
        // User-defined tokens are always recognised, and the text after a special token gets the space
        // prefix again (llama.cpp treats each fragment as a new text).
        assertArrayEquals(new int[] {id("<|user|>"), id("▁hello")}, tokenizer.encode("<|user|>hello", false, false));
    }

    @Test
    void decodeDropsControlTokensAndTheAddedSpace() {
        assertEquals("hello world", tokenizer.decode(tokenizer.encode("hello world", true, false)));
        assertEquals(" world", new String(tokenizer.tokenBytes(id("▁world")), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("</s>", tokenizer.piece(2));
        assertTrue(tokenizer.isEndOfGeneration(2));
        assertFalse(tokenizer.isEndOfGeneration(1));
        assertEquals(id("▁world"), tokenizer.tokenId("▁world"));
    }

    @Test
    void streamingDecoderHoldsBackPartialCharacters() {
        StreamingDecoder decoder = tokenizer.newDecoder();
        assertEquals(" hello", decoder.append(id("▁hello")));
        assertEquals("", decoder.append(3 + 0xC3));
        assertEquals("é", decoder.append(3 + 0xA9));
        assertEquals("", decoder.append(3 + 0xE2));
        assertEquals("\uFFFD", decoder.finish());
    }

    @Test
    void rejectsIdsOutsideTheVocabulary() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {9999}));
        assertTrue(e.getMessage().contains("toy-spm") && e.getMessage().contains("9999"), e.getMessage());
    }

    @Test
    void rejectsMalformedVocabularies() {
        Vocabulary v = vocabulary();
        VocabularyException e = assertThrows(VocabularyException.class, () -> new Vocabulary(v.source(), v.model(), null,
                v.tokens(), new float[3], v.types(), null, 1, 2, -1, 0, -1, true, false, true, null));
        assertEquals("tokenizer.ggml.scores", e.key());
        e = assertThrows(VocabularyException.class, () -> new Vocabulary(v.source(), v.model(), null,
                v.tokens(), v.scores(), v.types(), null, 100000, 2, -1, 0, -1, true, false, true, null));
        assertEquals("tokenizer.ggml.bos_token_id", e.key());
    }

    private byte[] concatBytes(int[] ids) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int id : ids) {
            out.writeBytes(tokenizer.tokenBytes(id));
        }
        return out.toByteArray();
    }
}
