package dev.lectern.pipeline.summarize;

import java.util.ArrayList;
import java.util.List;

import dev.lectern.pipeline.embedding.Vectors;

/**
 * Greedy Maximal Marginal Relevance (Carbonell and Goldstein, 1998): repeatedly pick the candidate maximizing
 * {@code λ·relevance − (1−λ)·max similarity to what is already picked}. Candidates that nearly repeat a picked
 * one (cosine at least {@link #DUPLICATE_SIMILARITY}) are never picked, whatever their relevance, and candidates
 * that no longer fit the token budget are passed over. When candidates belong to sections (consecutive parts of a
 * long document), the first picks are restricted to sections not yet represented until each has one, so that the
 * summary covers the whole document. Ties go to the earlier candidate, so the result is fully determined by the
 * inputs.
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
        return select(vectors, relevance, tokens, maxPicks, maxTokens, new int[vectors.size()]);
    }

    /**
     * Like {@link #select(List, double[], int[], int, int)}, but while some section has no pick yet and still has a
     * candidate that fits, only such sections' candidates compete.
     *
     * @param section each candidate's section number (0, 1, ...)
     */
    public List<Integer> select(List<float[]> vectors, double[] relevance, int[] tokens, int maxPicks, int maxTokens,
                                int[] section) {
        int n = vectors.size();
        int sectionCount = 0;
        for (int s : section) {
            sectionCount = Math.max(sectionCount, s + 1);
        }
        boolean[] covered = new boolean[sectionCount];
        if (relevance.length != n || tokens.length != n) {
            throw new IllegalArgumentException("need one relevance and one token count per candidate");
        }
        // Starts at 0 rather than -inf: being unlike the picked sentences earns no bonus, only repeating them costs.
        double[] maxSimilarity = new double[n];
        boolean[] out = new boolean[n];
        int budget = maxTokens == 0 ? Integer.MAX_VALUE : maxTokens;
        List<Integer> picked = new ArrayList<>();
        while (picked.size() < maxPicks) {
            int best = best(relevance, tokens, maxSimilarity, out, budget, section, covered, true);
            if (best < 0) {
                best = best(relevance, tokens, maxSimilarity, out, budget, section, covered, false);
            }
            if (best < 0) {
                break;
            }
            picked.add(best);
            covered[section[best]] = true;
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

    /** The candidate with the highest MMR score, only among uncovered sections if {@code uncoveredOnly}; or -1. */
    private int best(double[] relevance, int[] tokens, double[] maxSimilarity, boolean[] out, int budget,
                     int[] section, boolean[] covered, boolean uncoveredOnly) {
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < relevance.length; i++) {
            if (out[i] || tokens[i] > budget || (uncoveredOnly && covered[section[i]])) {
                continue;
            }
            double score = lambda * relevance[i] - (1 - lambda) * maxSimilarity[i];
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return best;
    }
}
