package dev.lectern.inference.tokenizer;

import static dev.lectern.inference.testing.ReferenceValues.ints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordPieceTokenizerTest {
    static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
    static final String REFERENCE = "shared/reference/minilm/fp32/";
    static final ObjectMapper JSON = new ObjectMapper();
    static WordPieceTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = resource(TOKENIZER)) {
            tokenizer = WordPieceTokenizerLoader.fromTokenizerJson(in, TOKENIZER);
        }
    }

    static InputStream resource(String name) {
        InputStream in = WordPieceTokenizerTest.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        return in;
    }

    static JsonNode reference(String stem) throws IOException {
        try (InputStream in = resource(REFERENCE + stem + ".json")) {
            return JSON.readTree(in);
        }
    }


    @ParameterizedTest
    @ValueSource(strings = {"a_fox", "b_empty", "c_paragraph40", "d_long600", "e_french", "f_japanese",
            "g_accents_symbols", "h_emoji_controls", "i_fox_paraphrase"})
    void matchesTheHuggingFaceTokenizerOnTheMiniLmReferences(String stem) throws IOException {
        JsonNode ref = reference(stem);
        String text = ref.get("text").textValue();
        assertEquals(ref.get("text_utf8_hex").textValue(), hex(text.getBytes(StandardCharsets.UTF_8)), "the text read back");
        int[] ids = tokenizer.encodeForModel(text);
        assertArrayEquals(ints(ref.get("token_ids")), ids, () -> stem + ": " + pieces(ids));
        List<String> expectedTokens = new ArrayList<>();
        ref.get("tokens").forEach(t -> expectedTokens.add(t.textValue()));
        assertEquals(expectedTokens, pieces(ids));
        assertEquals(ref.get("untruncated_token_count").intValue(), tokenizer.countTokens(text) + 2);
        if (ref.has("untruncated_token_ids")) {
            int[] all = tokenizer.encode(text, true, false);
            assertArrayEquals(ints(ref.get("untruncated_token_ids")), all);
        }
    }

    @Test
    void followsTheFileSettings() {
        assertEquals(128, tokenizer.maxLength());
        assertEquals(126, tokenizer.maxPiecesPerSequence());
        assertEquals(30522, tokenizer.vocabularySize());
        assertEquals(101, tokenizer.bosId());
        assertEquals(102, tokenizer.eosId());
        assertEquals(100, tokenizer.unknownId());
        assertEquals(0, tokenizer.padId());
        assertTrue(tokenizer.isControl(101) && tokenizer.isControl(0) && !tokenizer.isControl(100) && !tokenizer.isControl(1996));
    }

    @Test
    void aWordLongerThanOneHundredCharactersIsOneUnknown() {
        String hundred = "a".repeat(100);
        assertTrue(tokenizer.encode(hundred).length > 1, "100 characters are still cut into pieces");
        assertArrayEquals(new int[] {100}, tokenizer.encode(hundred + "a"));
        assertArrayEquals(new int[] {1996, 100, 1996}, tokenizer.encode("the " + "b".repeat(101) + " the"));
    }

    @Test
    void specialTokenTextIsPlainTextUnlessAskedFor() {
        int[] plain = tokenizer.encode("[SEP] x", false, false);
        assertEquals(List.of("[", "sep", "]", "x"), pieces(plain));
        int[] parsed = tokenizer.encode("[SEP] x", false, true);
        assertEquals(List.of("[SEP]", "x"), pieces(parsed));
    }

    @Test
    void decodesPiecesBackToNormalizedText() {
        int[] ids = tokenizer.encodeForModel("Unaffable résumés, naïvely!");
        assertEquals("unaffable resumes , naively !", tokenizer.decode(ids));
        assertEquals("##ff", tokenizer.piece(tokenizer.tokenId("##ff")));
    }

    @Test
    void wordsSplitOnWhitespaceAndPunctuation() {
        assertEquals(List.of("hello", ",", "world", "$", "3", ".", "5", "東", "京"),
                tokenizer.words("Hello,\tWORLD $3.5東京"));
    }

    @Test
    void rejectsATokenizerThatIsNotWordPiece() {
        String bpe = "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}}}";
        VocabularyException e = assertThrows(VocabularyException.class, () -> WordPieceTokenizerLoader.fromTokenizerJson(
                new ByteArrayInputStream(bpe.getBytes(StandardCharsets.UTF_8)), "bpe.json"));
        assertEquals("bpe.json: model.type: expected 'WordPiece', got 'BPE'", e.getMessage());
        VocabularyException broken = assertThrows(VocabularyException.class, () -> WordPieceTokenizerLoader.fromTokenizerJson(
                new ByteArrayInputStream("{\"model\": ".getBytes(StandardCharsets.UTF_8)), "cut.json"));
        assertTrue(broken.getMessage().startsWith("cut.json: (file): expected valid JSON"), broken.getMessage());
        String noUnk = "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"a\": 0, \"[CLS]\": 1, \"[SEP]\": 2}}}";
        VocabularyException unk = assertThrows(VocabularyException.class, () -> WordPieceTokenizerLoader.fromTokenizerJson(
                new ByteArrayInputStream(noUnk.getBytes(StandardCharsets.UTF_8)), "small.json"));
        assertEquals("small.json: model.unk_token: expected a token of model.vocab, got '[UNK]'", unk.getMessage());
    }

    static List<String> pieces(int[] ids) {
        List<String> pieces = new ArrayList<>();
        for (int id : ids) {
            pieces.add(tokenizer.piece(id));
        }
        return pieces;
    }

    static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%02x", b & 0xFF));
        }
        return out.toString();
    }
}
