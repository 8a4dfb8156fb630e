package dev.lectern.inference.model;

/**
 * Normalizations over one row of activations. The sums are taken in double, as ggml does, so that results stay
 * close to llama.cpp for long rows; the per-element scaling is then done in float.
 */
public final class Norms {
    private Norms() {}

    /** RMSNorm: {@code out = x / sqrt(mean(x²) + eps) ⊙ weight}. {@code out} may alias {@code x}. */
    public static void rmsNorm(float[] x, int xOff, float[] weight, float eps, float[] out, int outOff, int n) {
        double sumSquares = 0;
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            sumSquares += v * v;
        }
        float scale = (float) (1.0 / Math.sqrt((float) (sumSquares / n) + eps));
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (x[xOff + i] * scale) * weight[i];
        }
    }

    /**
     * LayerNorm: {@code out = (x - mean) / sqrt(var + eps) ⊙ weight + bias}; {@code bias} may be null.
     * {@code out} may alias {@code x}.
     */
    public static void layerNorm(float[] x, int xOff, float[] weight, float[] bias, float eps,
                                 float[] out, int outOff, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += x[xOff + i];
        float mean = (float) (sum / n);
        double sumSquares = 0;
        for (int i = 0; i < n; i++) {
            float d = x[xOff + i] - mean;
            sumSquares += d * d;
        }
        float scale = (float) (1.0 / Math.sqrt((float) (sumSquares / n) + eps));
        for (int i = 0; i < n; i++) {
            float normalized = (x[xOff + i] - mean) * scale;
            out[outOff + i] = bias == null ? normalized * weight[i] : normalized * weight[i] + bias[i];
        }
    }
}
