package dev.lectern.inference.model;

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
     */
    public static void softmaxWithSink(float[] x, int off, int n, float sink) {
        float max = sink;
        for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        if (sink != Float.NEGATIVE_INFINITY) sum += (float) Math.exp(sink - max);
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < n; i++) x[off + i] *= inv;
    }
}
