package dev.lectern.pipeline.embedding;

import java.util.ArrayList;
import java.util.List;

/**
 * Embeds a whole document, however long: its sentences are grouped into windows that fit the model, the windows
 * are embedded in batches, and the document's vector is their mean weighted by token count (so a short last window
 * counts for less), scaled to unit length. A document with more windows than {@code maxWindows} is represented by
 * that many windows spread evenly over it, which bounds the cost of huge documents while still covering all of it.
 */
public final class DocumentEmbedder {

    /** Texts per call to the model: large enough to fill its matrix kernels, small enough to bound memory. */
    public static final int BATCH_SIZE = 32;

    private final Embedder embedder;
    private final SentenceSplitter splitter;
    private final TokenFitter fitter;
    private final int maxWindows;

    /**
     * @param windowTokens the most tokens in one window (at most the model's limit)
     * @param maxWindows   the most windows embedded for one document
     */
    public DocumentEmbedder(Embedder embedder, SentenceSplitter splitter, int windowTokens, int maxWindows) {
        if (maxWindows < 1) {
            throw new IllegalArgumentException("maxWindows must be at least 1, got " + maxWindows);
        }
        this.embedder = embedder;
        this.splitter = splitter;
        this.fitter = new TokenFitter(embedder, windowTokens);
        this.maxWindows = maxWindows;
    }

    /** What a document's embedding was made of. */
    public record Result(float[] vector, int windows, int windowsEmbedded, int tokensEmbedded) {
    }

    /** @return the document vector; for text with no sentences at all, the embedding of the empty text */
    public Result embed(String text) {
        List<TokenFitter.Piece> windows = fitter.windows(splitter.split(text));
        if (windows.isEmpty()) {
            return new Result(embedder.embed(List.of(""))[0], 0, 0, 0);
        }
        List<TokenFitter.Piece> chosen = spreadEvenly(windows, maxWindows);
        List<String> texts = new ArrayList<>(chosen.size());
        double[] weights = new double[chosen.size()];
        int tokens = 0;
        for (int i = 0; i < chosen.size(); i++) {
            texts.add(chosen.get(i).text());
            weights[i] = chosen.get(i).tokens();
            tokens += chosen.get(i).tokens();
        }
        List<float[]> vectors = embedAll(embedder, texts);
        return new Result(Vectors.normalizedMean(vectors, weights), windows.size(), chosen.size(), tokens);
    }

    /** Embeds any number of fitting texts, {@link #BATCH_SIZE} at a time, in order. */
    public static List<float[]> embedAll(Embedder embedder, List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int start = 0; start < texts.size(); start += BATCH_SIZE) {
            List<String> batch = texts.subList(start, Math.min(texts.size(), start + BATCH_SIZE));
            float[][] embedded = embedder.embed(batch);
            if (embedded.length != batch.size()) {
                throw new IllegalStateException("embedder returned " + embedded.length + " vectors for " + batch.size() + " texts");
            }
            vectors.addAll(List.of(embedded));
        }
        return vectors;
    }

    /** The first and last items and evenly spaced ones between, in order; all items when there are few enough. */
    public static <T> List<T> spreadEvenly(List<T> items, int count) {
        if (items.size() <= count) {
            return items;
        }
        List<T> chosen = new ArrayList<>(count);
        if (count == 1) {
            chosen.add(items.getFirst());
            return chosen;
        }
        for (int i = 0; i < count; i++) {
            // Integer arithmetic keeps the choice exact and identical on every machine.
            chosen.add(items.get((int) ((long) i * (items.size() - 1) / (count - 1))));
        }
        return chosen;
    }
}
