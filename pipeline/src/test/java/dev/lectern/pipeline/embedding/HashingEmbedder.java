package dev.lectern.pipeline.embedding;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic stand-in for a sentence model in unit tests: a bag of lower-cased words hashed into a small
 * vector, so texts sharing words are similar and texts sharing none are orthogonal-ish. Words of fewer than four
 * letters (mostly function words) are counted as tokens but not embedded. One token per word.
 */
public final class HashingEmbedder implements Embedder {

    private static final int DIM = 256;

    private final int maxTokens;
    /** The most texts seen in one call. */
    public final AtomicInteger largestBatch = new AtomicInteger();
    /** Texts embedded so far. */
    public final AtomicInteger texts = new AtomicInteger();

    public HashingEmbedder(int maxTokens) {
        this.maxTokens = maxTokens;
    }

    @Override
    public float[][] embed(List<String> texts) {
        largestBatch.accumulateAndGet(texts.size(), Math::max);
        this.texts.addAndGet(texts.size());
        float[][] out = new float[texts.size()][];
        for (int t = 0; t < texts.size(); t++) {
            if (countTokens(texts.get(t)) > maxTokens) {
                throw new AssertionError("text longer than the model allows: " + texts.get(t));
            }
            double[] v = new double[DIM];
            for (String word : words(texts.get(t))) {
                if (word.length() < 4) {
                    continue;
                }
                v[Math.floorMod(word.hashCode() * 0x9E3779B1, DIM)] += 1;
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            out[t] = new float[DIM];
            for (int i = 0; i < DIM; i++) {
                out[t][i] = norm == 0 ? 0 : (float) (v[i] / Math.sqrt(norm));
            }
        }
        return out;
    }

    @Override
    public int countTokens(String text) {
        return words(text).length;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    private static String[] words(String text) {
        String cleaned = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\s]", " ").strip();
        return cleaned.isEmpty() ? new String[0] : cleaned.split("\\s+");
    }
}
