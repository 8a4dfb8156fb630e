package dev.lectern.inference.model;

import java.util.Arrays;

/**
 * Scaled dot-product attention of one query head over one sequence's cached keys and values (Vaswani et al.):
 * {@code out = softmax(q·Kᵀ · scale) · V}, causal (positions ≤ the query's), restricted to the layer's sliding
 * window if it has one, with an optional learned sink logit that takes probability mass without a value.
 */
public final class Attention {
    private Attention() {}

    /**
     * @param q       query vector at {@code q[qOff .. qOff + keyDim)}, already rotated
     * @param cache   the layer's cache, already holding the keys/values up to {@code pos}
     * @param kvHead  the KV head this query head shares (grouped-query attention)
     * @param pos     the query's position
     * @param scale   logit scale, usually {@code 1/√keyDim}
     * @param sink    sink logit, or {@link Float#NEGATIVE_INFINITY} for none
     * @param scores  scratch of at least {@code pos + 1} floats
     * @param out     receives {@code valueDim} floats at {@code outOff}
     */
    public static void attendHead(float[] q, int qOff, LayerKvCache cache, int kvHead, int pos, float scale,
                                  float sink, float[] scores, float[] out, int outOff, int keyDim, int valueDim) {
        int first = cache.firstVisible(pos);
        int n = pos - first + 1;
        // The visible positions occupy one run of slots, or two when a sliding window's ring wraps around.
        int slot0 = cache.slot(first);
        int run = Math.min(n, cache.capacity() - slot0);
        Arrays.fill(scores, 0, n, 0f);
        VectorMath.scoreKeys(q, qOff, keyDim, cache.keys(), cache.keyRowOffset(kvHead, 0) + slot0, cache.capacity(),
                scores, 0, run);
        if (run < n) {
            VectorMath.scoreKeys(q, qOff, keyDim, cache.keys(), cache.keyRowOffset(kvHead, 0), cache.capacity(),
                    scores, run, n - run);
        }
        for (int t = 0; t < n; t++) scores[t] *= scale;
        Softmax.softmaxWithSink(scores, 0, n, sink);
        Arrays.fill(out, outOff, outOff + valueDim, 0f);
        float[] values = cache.values();
        for (int t = 0; t < n; t++) {
            VectorMath.axpy(scores[t], values, cache.valueOffset(kvHead, first + t), out, outOff, valueDim);
        }
    }
}
