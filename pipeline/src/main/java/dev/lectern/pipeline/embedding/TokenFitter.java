package dev.lectern.pipeline.embedding;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Cuts text into pieces the model sees whole, so no task ever relies on truncation. The model's pre-tokenizer
 * splits on whitespace before anything else, so the token count of words joined by spaces is the sum of their
 * counts: pieces are built word by word. A single word longer than the limit (a run of CJK characters, a
 * base64 blob) is cut by code points.
 */
public final class TokenFitter {

    private static final Pattern SPACES = Pattern.compile(" +");

    private final Embedder embedder;
    private final int maxTokens;

    public TokenFitter(Embedder embedder) {
        this(embedder, embedder.maxTokens());
    }

    /** @param maxTokens the most tokens a piece may have (at most the model's limit) */
    public TokenFitter(Embedder embedder, int maxTokens) {
        if (maxTokens < 1 || maxTokens > embedder.maxTokens()) {
            throw new IllegalArgumentException("piece size must be 1.." + embedder.maxTokens() + " tokens, got " + maxTokens);
        }
        this.embedder = embedder;
        this.maxTokens = maxTokens;
    }

    /** A piece of text and its token count (an upper bound for pieces cut inside a word, exact otherwise). */
    public record Piece(String text, int tokens) {
    }

    /** @param text whitespace-collapsed text (as {@link SentenceSplitter} gives) */
    public List<Piece> pieces(String text) {
        int tokens = embedder.countTokens(text);
        if (tokens <= maxTokens) {
            return List.of(new Piece(text, tokens));
        }
        List<Piece> pieces = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int currentTokens = 0;
        for (String word : SPACES.split(text)) {
            int wordTokens = embedder.countTokens(word);
            if (wordTokens > maxTokens) {
                currentTokens = flush(current, currentTokens, pieces);
                cutWord(word, pieces);
                continue;
            }
            if (currentTokens + wordTokens > maxTokens) {
                currentTokens = flush(current, currentTokens, pieces);
            }
            if (!current.isEmpty()) {
                current.append(' ');
            }
            current.append(word);
            currentTokens += wordTokens;
        }
        flush(current, currentTokens, pieces);
        return pieces;
    }

    /**
     * Groups consecutive texts into windows of at most the piece size in tokens, cutting any text that alone is
     * too long. Window boundaries fall between texts whenever possible.
     */
    public List<Piece> windows(List<String> texts) {
        List<Piece> windows = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int currentTokens = 0;
        for (String text : texts) {
            for (Piece piece : pieces(text)) {
                if (currentTokens + piece.tokens() > maxTokens) {
                    currentTokens = flush(current, currentTokens, windows);
                }
                if (!current.isEmpty()) {
                    current.append(' ');
                }
                current.append(piece.text());
                currentTokens += piece.tokens();
            }
        }
        flush(current, currentTokens, windows);
        return windows;
    }

    private void cutWord(String word, List<Piece> pieces) {
        // Counting each code point alone over-counts sub-word merges, so every piece is guaranteed to fit.
        StringBuilder current = new StringBuilder();
        int currentTokens = 0;
        for (int i = 0; i < word.length(); ) {
            int codePoint = word.codePointAt(i);
            String character = Character.toString(codePoint);
            int tokens = Math.max(1, embedder.countTokens(character));
            if (currentTokens + tokens > maxTokens) {
                currentTokens = flush(current, currentTokens, pieces);
            }
            current.append(character);
            currentTokens += tokens;
            i += Character.charCount(codePoint);
        }
        flush(current, currentTokens, pieces);
    }

    private static int flush(StringBuilder current, int tokens, List<Piece> out) {
        if (!current.isEmpty()) {
            out.add(new Piece(current.toString(), tokens));
            current.setLength(0);
        }
        return 0;
    }
}
