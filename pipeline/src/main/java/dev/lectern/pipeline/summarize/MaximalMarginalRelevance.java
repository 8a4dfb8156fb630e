package dev.lectern.pipeline.summarize;

import java.util.ArrayList;
import java.util.List;

import dev.lectern.pipeline.embedding.Vectors;

/**
 * Greedy Maximal Marginal Relevance (Carbonell and Goldstein, 1998): repeatedly pick the candidate maximizing
 * {@code λ·relevance − (1−λ)·max similarity to what is already picked}. Candidates that nearly repeat a picked
 * one (cosine at least {@link #DUPLICATE_SIMILARITY}) are never picked, whatever their relevance, and candidates
 * that no longer fit the token budget are passed over. Ties go to the earlier candidate, so the result is fully
 * determined by the inputs.
 */
public final class MaximalMarginalRelevance {

    /** Two sentences this similar say the same thing; a summary never states a thing twice. */
    public static final double DUPLICATE_SIMILARITY = 0.95;

    private final double lambda;

    public MaximalMarginalRelevance(double lambda) {
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda must be between 0 and 1, got " + lambda);
        }
        this.lambda = lambda;
    }

    /**
     * @param vectors     unit-length candidate embeddings
     * @param relevance   how central each candidate is
     * @param tokens      each candidate's cost against {@code maxTokens}
     * @param maxPicks    the most candidates to pick
     * @param maxTokens   the most tokens in all, or 0 for no token budget
     * @return indices of the picked candidates, in the order they were picked
     */
    public List<Integer> select(List<float[]> vectors, double[] relevance, int[] tokens, int maxPicks, int maxTokens) {
        int n = vectors.size();
        if (relevance.length != n || tokens.length != n) {
            throw new IllegalArgumentException("need one relevance and one token count per candidate");
        }
        // Starts at 0 rather than -inf: being unlike the picked sentences earns no bonus, only repeating them costs.
        double[] maxSimilarity = new double[n];
        boolean[] out = new boolean[n];
        int budget = maxTokens == 0 ? Integer.MAX_VALUE : maxTokens;
        List<Integer> picked = new ArrayList<>();
        while (picked.size() < maxPicks) {
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (out[i] || tokens[i] > budget) {
                    continue;
                }
                double score = lambda * relevance[i] - (1 - lambda) * maxSimilarity[i];
                if (score > bestScore) {
                    bestScore = score;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            picked.add(best);
            out[best] = true;
            budget -= tokens[best];
            for (int i = 0; i < n; i++) {
                if (!out[i]) {
                    maxSimilarity[i] = Math.max(maxSimilarity[i], Vectors.dot(vectors.get(i), vectors.get(best)));
                    if (maxSimilarity[i] >= DUPLICATE_SIMILARITY) {
                        out[i] = true;
                    }
                }
            }
        }
        return picked;
    }
}
