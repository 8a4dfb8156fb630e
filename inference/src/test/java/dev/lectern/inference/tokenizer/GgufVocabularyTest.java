package dev.lectern.inference.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lectern.inference.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading vocabularies from GGUF metadata, and the errors a malformed one gives. */
class GgufVocabularyTest {

    @TempDir
    Path dir;

    /** A small SentencePiece vocabulary: <unk> <s> </s> ▁ a b ▁a ▁ab, written with the project's GGUF writer. */
    private Path write(String name, Consumer<GgufWriter> change) throws IOException {
        return write(name, "", change);
    }

    /** As above, leaving out the key {@code omit}. */
    private Path write(String name, String omit, Consumer<GgufWriter> change) throws IOException {
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", "llama");
        if (!omit.equals("tokenizer.ggml.model")) {
            w.putString("tokenizer.ggml.model", "llama");
        }
        w.putStringArray("tokenizer.ggml.tokens", "<unk>", "<s>", "</s>", "▁", "a", "b", "▁a", "▁ab");
        if (!omit.equals("tokenizer.ggml.scores")) {
            w.putFloat32Array("tokenizer.ggml.scores", 0, 0, 0, -1, -2, -2, -1, -0.5f);
        }
        w.putInt32Array("tokenizer.ggml.token_type", 2, 3, 3, 1, 1, 1, 1, 1);
        w.putUInt32("tokenizer.ggml.bos_token_id", 1);
        w.putUInt32("tokenizer.ggml.eos_token_id", 2);
        w.putUInt32("tokenizer.ggml.unknown_token_id", 0);
        change.accept(w);
        Path path = dir.resolve(name);
        w.write(path);
        return path;
    }

    @Test
    void readsAWrittenVocabulary() throws IOException {
        Vocabulary v = GgufVocabulary.read(write("ok.gguf", w -> { }));
        assertEquals("ok.gguf", v.source());
        assertTrue(v.addBos(), "SentencePiece adds BOS unless the file says otherwise");
        assertTrue(v.addSpacePrefix());
        assertFalse(v.addEos());
        assertEquals(Tokenizer.NO_TOKEN, v.eotId());
        Tokenizer t = Tokenizers.create(v);
        assertArrayEquals(new int[] {1, 7, 6}, t.encode("ab a", true, false));
        // 'c' has no token and there are no byte tokens: the unknown token stands in.
        assertArrayEquals(new int[] {6, 0}, t.encode("ac", false, false));
    }

    @Test
    void flagsFromTheFileWin() throws IOException {
        Vocabulary v = GgufVocabulary.read(write("flags.gguf", w -> {
            w.putBool("tokenizer.ggml.add_bos_token", false);
            w.putBool("tokenizer.ggml.add_space_prefix", false);
            w.putInt32("tokenizer.ggml.padding_token_id", -1);
        }));
        assertFalse(v.addBos());
        assertFalse(v.addSpacePrefix());
        assertEquals(Tokenizer.NO_TOKEN, v.paddingId());
        assertArrayEquals(new int[] {4, 5}, Tokenizers.create(v).encode("ab", true, false));
    }

    @Test
    void errorsNameTheFileAndTheKey() throws IOException {
        VocabularyException e = assertThrows(VocabularyException.class, () -> GgufVocabulary.read(write("types.gguf",
                w -> w.putInt32Array("tokenizer.ggml.token_type", 1, 1))));
        assertEquals("types.gguf: tokenizer.ggml.token_type: expected one type per token (8), got 2", e.getMessage());

        e = assertThrows(VocabularyException.class, () -> GgufVocabulary.read(write("bos.gguf",
                w -> w.putUInt32("tokenizer.ggml.bos_token_id", 99))));
        assertEquals("bos.gguf: tokenizer.ggml.bos_token_id: expected a token id in 0..7, got 99", e.getMessage());

        e = assertThrows(VocabularyException.class, () -> GgufVocabulary.read(write("kind.gguf", "tokenizer.ggml.model", w -> { })));
        assertEquals("tokenizer.ggml.model", e.key());
        assertTrue(e.getMessage().startsWith("kind.gguf: "), e.getMessage());

        Vocabulary noScores = GgufVocabulary.read(write("scores.gguf", "tokenizer.ggml.scores", w -> { }));
        e = assertThrows(VocabularyException.class, () -> Tokenizers.create(noScores));
        assertEquals("scores.gguf: tokenizer.ggml.scores: expected an array of token scores for a SentencePiece (llama) vocabulary, found none",
                e.getMessage());

        RuntimeException wrongType = assertThrows(RuntimeException.class, () -> GgufVocabulary.read(write("tokens.gguf",
                w -> w.putInt32Array("tokenizer.ggml.tokens", 1, 2, 3))));
        assertTrue(wrongType.getMessage().contains("tokens.gguf") && wrongType.getMessage().contains("tokenizer.ggml.tokens"),
                wrongType.getMessage());
    }
}
