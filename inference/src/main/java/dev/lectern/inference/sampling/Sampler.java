package dev.lectern.inference.sampling;

import java.util.Arrays;

/**
 * Chooses the next token from a step's logits. Keeps the recent tokens for the repetition penalty and
 * its own seeded generator, so one sampler serves one generation. Each step works in buffers
 * allocated once (no allocation per token). Not thread-safe.
 *
 * <p>Candidates are kept as {@code long} keys: the logit, in an order-preserving integer form, in the
 * high half (negated, so ascending keys are descending logits) and the token id in the low half, so
 * one primitive sort orders by logit and breaks ties by the lowest id.
 */
public final class Sampler {

    private final SamplingParameters parameters;
    private final int vocabularySize;
    private final SplitMix64 random;
    private final float[] adjusted;
    private final long[] candidates;
    private final double[] probabilities;
    private final int[] recent;
    private final int[] penaltyStamp;
    /** Softmax denominator over all tokens when only some were sorted (see {@link #allCandidates}), else NaN. */
    private double fullNormalizer = Double.NaN;
    private int recentCount;
    private int recentNext;
    private int step;

    public Sampler(SamplingParameters parameters, int vocabularySize) {
        if (vocabularySize <= 0) {
            throw new IllegalArgumentException("vocabulary size: expected a positive count, got " + vocabularySize);
        }
        this.parameters = parameters;
        this.vocabularySize = vocabularySize;
        this.random = new SplitMix64(parameters.seed());
        this.adjusted = new float[vocabularySize];
        this.candidates = new long[vocabularySize];
        this.probabilities = new double[vocabularySize];
        this.recent = new int[parameters.repeatLastN()];
        this.penaltyStamp = new int[vocabularySize];
    }

    /** The parameters this sampler was made with. */
    public SamplingParameters parameters() {
        return parameters;
    }

    /**
     * Records a token of the sequence (prompt or generated) for the repetition penalty. The
     * generation loop calls it for every prompt token and every sampled token.
     */
    public void accept(int token) {
        if (token < 0 || token >= vocabularySize) {
            throw new IllegalArgumentException("token id " + token + " is outside the vocabulary (0.." + (vocabularySize - 1) + ")");
        }
        if (recent.length == 0) {
            return;
        }
        recent[recentNext] = token;
        recentNext = (recentNext + 1) % recent.length;
        recentCount = Math.min(recentCount + 1, recent.length);
    }

    /** The index of the largest value; the lowest index wins ties, NaN never wins. */
    public static int argmax(float[] logits) {
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        boolean found = false;
        for (int i = 0; i < logits.length; i++) {
            float v = logits[i];
            if (v > bestValue || (!found && v == bestValue)) {
                best = i;
                bestValue = v;
                found = true;
            }
        }
        return best;
    }

    /** Chooses the next token; {@code logits} (one per vocabulary entry) is left unchanged. */
    public int sample(float[] logits) {
        if (logits.length != vocabularySize) {
            throw new IllegalArgumentException("logits: expected " + vocabularySize + " values (the vocabulary size), got " + logits.length);
        }
        System.arraycopy(logits, 0, adjusted, 0, vocabularySize);
        applyRepetitionPenalty();
        if (parameters.isGreedy()) {
            return argmax(adjusted);
        }
        int n = topCandidates();
        n = keepTopP(n);
        n = keepMinP(n);
        return draw(n);
    }

    private void applyRepetitionPenalty() {
        float penalty = parameters.repetitionPenalty();
        if (penalty == 1f || recentCount == 0) {
            return;
        }
        step++;
        for (int i = 0; i < recentCount; i++) {
            int token = recent[i];
            if (penaltyStamp[token] == step) {
                continue; // each distinct token is penalized once
            }
            penaltyStamp[token] = step;
            float v = adjusted[token];
            adjusted[token] = v > 0 ? v / penalty : v * penalty;
        }
    }

    /** Fills {@code candidates[0..n)} with the top-k (or all) tokens, most likely first; returns n. */
    private int topCandidates() {
        int k = parameters.topK();
        fullNormalizer = Double.NaN;
        if (k == 0 || k >= vocabularySize) {
            return allCandidates();
        }
        // A max-heap of the k smallest keys seen so far in candidates[0..k).
        for (int i = 0; i < k; i++) {
            candidates[i] = key(adjusted[i], i);
        }
        for (int i = k / 2 - 1; i >= 0; i--) {
            siftDown(i, k);
        }
        for (int i = k; i < vocabularySize; i++) {
            long key = key(adjusted[i], i);
            if (key < candidates[0]) {
                candidates[0] = key;
                siftDown(0, k);
            }
        }
        Arrays.sort(candidates, 0, k);
        return k;
    }

    /**
     * Without top-k every token is a candidate. Min-p (applied later) keeps only tokens within
     * {@code ln(minP)} of the best logit, and top-p keeps a prefix of the same order, so only those
     * tokens need sorting; top-p then uses the softmax denominator over the whole vocabulary, computed
     * here, so the result is the same as sorting everything.
     */
    private int allCandidates() {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocabularySize; i++) {
            if (adjusted[i] > max) {
                max = adjusted[i];
            }
        }
        float minP = parameters.minP();
        float threshold = minP > 0f && max > Float.NEGATIVE_INFINITY ? max + (float) Math.log(minP) : Float.NEGATIVE_INFINITY;
        int n = 0;
        double sum = 0;
        for (int i = 0; i < vocabularySize; i++) {
            float v = adjusted[i];
            if (threshold == Float.NEGATIVE_INFINITY || v >= threshold) {
                candidates[n++] = key(v, i);
            }
            if (v > Float.NEGATIVE_INFINITY) {
                sum += Math.exp(v - max);
            }
        }
        if (n < vocabularySize && max > Float.NEGATIVE_INFINITY) {
            fullNormalizer = sum;
        }
        Arrays.sort(candidates, 0, n);
        return n;
    }

    private void siftDown(int i, int size) {
        long value = candidates[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && candidates[child + 1] > candidates[child]) {
                child++;
            }
            if (candidates[child] <= value) {
                break;
            }
            candidates[i] = candidates[child];
            i = child;
        }
        candidates[i] = value;
    }

    /** Softmax of the candidates' logits divided by {@code temperature}, into probabilities[0..n). */
    private void softmax(int n, float temperature) {
        float max = adjusted[id(candidates[0])];
        if (max == Float.NEGATIVE_INFINITY) {
            // Every candidate is impossible: treat them as equally likely rather than divide 0 by 0.
            Arrays.fill(probabilities, 0, n, 1.0 / n);
            return;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double p = Math.exp((adjusted[id(candidates[i])] - max) / temperature);
            probabilities[i] = p;
            sum += p;
        }
        for (int i = 0; i < n; i++) {
            probabilities[i] /= sum;
        }
    }

    private int keepTopP(int n) {
        float p = parameters.topP();
        if (p >= 1f || n == 1) {
            return n;
        }
        if (Double.isNaN(fullNormalizer)) {
            softmax(n, 1f);
        } else {
            float max = adjusted[id(candidates[0])];
            for (int i = 0; i < n; i++) {
                probabilities[i] = Math.exp(adjusted[id(candidates[i])] - max) / fullNormalizer;
            }
        }
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            cumulative += probabilities[i];
            if (cumulative >= p) {
                return i + 1;
            }
        }
        return n;
    }

    private int keepMinP(int n) {
        float minP = parameters.minP();
        if (minP <= 0f || n == 1) {
            return n;
        }
        // p_i >= minP * p_max  <=>  logit_i >= logit_max + ln(minP)
        float threshold = adjusted[id(candidates[0])] + (float) Math.log(minP);
        int kept = 1;
        while (kept < n && adjusted[id(candidates[kept])] >= threshold) {
            kept++;
        }
        return kept;
    }

    private int draw(int n) {
        if (n == 1) {
            return id(candidates[0]);
        }
        softmax(n, parameters.temperature());
        double u = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            cumulative += probabilities[i];
            if (u < cumulative) {
                return id(candidates[i]);
            }
        }
        return id(candidates[n - 1]);
    }

    /** Sort key: ascending keys are descending logits, ties by ascending id; NaN sorts last. */
    private static long key(float logit, int id) {
        if (Float.isNaN(logit)) {
            logit = Float.NEGATIVE_INFINITY;
        }
        int bits = Float.floatToIntBits(logit + 0f); // + 0f turns -0 into +0
        int ordered = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) ~ordered << 32) | id;
    }

    private static int id(long key) {
        return (int) key;
    }

    /** Forgets the recent tokens (the random generator keeps its position). */
    public void reset() {
        recentCount = 0;
        recentNext = 0;
    }
}
