package dev.lectern.inference.model;

/** Element-wise activations of the feed-forward blocks. */
public final class Activations {
    private Activations() {}

    /** SiLU (swish): {@code x · σ(x)}. */
    public static float silu(float x) {
        return x / (1.0f + (float) Math.exp(-x));
    }

    /** SwiGLU in place on {@code gate}: {@code gate[i] = silu(gate[i]) · up[i]} for {@code n} elements. */
    public static void swiglu(float[] gate, int gateOff, float[] up, int upOff, int n) {
        for (int i = 0; i < n; i++) {
            gate[gateOff + i] = silu(gate[gateOff + i]) * up[upOff + i];
        }
    }

    /**
     * The gpt-oss gated unit, in place on {@code gate}: the gate is clamped above at {@code limit}, the linear part
     * to {@code ±limit}; {@code out = g · σ(α g) · (u + 1)}.
     */
    public static void clampedSwiglu(float[] gate, int gateOff, float[] up, int upOff, int n,
                                     float alpha, float limit) {
        for (int i = 0; i < n; i++) gate[gateOff + i] = clampedSwiglu(gate[gateOff + i], up[upOff + i], alpha, limit);
    }

    /** The gpt-oss gated unit of one gate value {@code gate} and linear value {@code up}. */
    public static float clampedSwiglu(float gate, float up, float alpha, float limit) {
        float g = Math.min(gate, limit);
        float u = Math.max(-limit, Math.min(up, limit));
        float glu = g / (1.0f + (float) Math.exp(-alpha * g));
        return glu * (u + 1.0f);
    }

    /** Adds {@code bias} to {@code n} elements of {@code x} from {@code off}. */
    public static void addBias(float[] x, int off, float[] bias, int n) {
        for (int i = 0; i < n; i++) x[off + i] += bias[i];
    }

    /** {@code x += y} over {@code n} elements. */
    public static void addInPlace(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) x[xOff + i] += y[yOff + i];
    }
}
