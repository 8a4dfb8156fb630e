package dev.lectern.inference.model;

import dev.lectern.inference.tensor.VectorExp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** Numerically stable softmax over a slice, with an optional extra "sink" logit that only joins the denominator. */
public final class Softmax {
    private Softmax() {}

    /** In-place softmax of {@code x[off, off+n)}. */
    public static void softmax(float[] x, int off, int n) {
        softmaxWithSink(x, off, n, Float.NEGATIVE_INFINITY);
    }

    /**
     * In-place softmax of {@code x[off, off+n)} where the normalizer also counts {@code exp(sink)}: the sink takes
     * probability mass without contributing a value (gpt-oss attention sinks). A sink of −∞ is a plain softmax.
     * The exponentials are vectorized ({@link VectorExp}, JIT-independent bits; the last lanes under a mask, so every
     * element gets the same arithmetic): a scalar {@code Math.exp} per score was 4 % of a 256-token prefill. The sum
     * is taken in double in index order.
     */
    public static void softmaxWithSink(float[] x, int off, int n, float sink) {
        float max = sink;
        for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
        VectorSpecies<Float> species = VectorExp.S;
        for (int i = 0; i < n; i += species.length()) {
            VectorMask<Float> live = species.indexInRange(i, n);
            VectorExp.exp(FloatVector.fromArray(species, x, off + i, live).sub(max)).intoArray(x, off + i, live);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) sum += x[off + i];
        if (sink != Float.NEGATIVE_INFINITY) sum += (float) Math.exp(sink - max);
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < n; i++) x[off + i] *= inv;
    }
}
