package dev.lectern.pipeline.task;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextChunkerTest {

    private static final String TEXT = "The quick brown fox jumps over the lazy dog. ".repeat(40);

    @Test
    void characterChunksFitOverlapAndCoverTheText() {
        List<Chunk> chunks = TextChunker.byCharacters(200, 40).chunk(TEXT);
        assertTrue(chunks.size() > 9, "chunks: " + chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            assertEquals(i, c.index());
            assertTrue(c.size() <= 200, "chunk " + i + " has " + c.size());
            assertEquals(TEXT.substring(c.start(), c.end()), c.text());
            if (i > 0) {
                Chunk previous = chunks.get(i - 1);
                int overlap = previous.end() - c.start();
                assertTrue(overlap > 0 && overlap <= 40, "overlap " + overlap);
                assertTrue(c.start() > previous.start(), "moves forward");
            }
        }
        assertEquals(0, chunks.getFirst().start());
        assertEquals(TEXT.length(), chunks.getLast().end());
    }

    @Test
    void cutsFallBetweenWords() {
        for (Chunk c : TextChunker.byCharacters(100, 0).chunk(TEXT)) {
            assertTrue(c.end() == TEXT.length() || Character.isWhitespace(TEXT.charAt(c.end())),
                    "cut inside a word at " + c.end());
        }
    }

    @Test
    void aWordLongerThanAChunkIsCutWithoutSplittingSurrogates() {
        String text = "😀".repeat(300);
        List<Chunk> chunks = TextChunker.byCharacters(64, 0).chunk(text);
        StringBuilder joined = new StringBuilder();
        for (Chunk c : chunks) {
            assertTrue(c.size() <= 64);
            assertTrue(!Character.isLowSurrogate(c.text().charAt(0)), "starts inside a pair");
            joined.append(c.text());
        }
        assertEquals(text, joined.toString());
    }

    @Test
    void tokenChunksUseTheTokenCount() {
        // A stand-in tokenizer: one token per word.
        TextChunker chunker = TextChunker.byTokens(10, 2, s -> s.isBlank() ? 0 : s.strip().split("\\s+").length);
        List<Chunk> chunks = chunker.chunk(TEXT);
        chunks.forEach(c -> assertTrue(c.size() <= 10));
        assertEquals(10, chunks.getFirst().size());
        assertEquals(chunks, chunker.chunk(TEXT), "deterministic");
    }

    @Test
    void emptyTextHasNoChunksAndBadSettingsAreRejected() {
        assertEquals(List.of(), TextChunker.byCharacters(10, 0).chunk(""));
        assertThrows(IllegalArgumentException.class, () -> TextChunker.byCharacters(10, 10));
    }
}
