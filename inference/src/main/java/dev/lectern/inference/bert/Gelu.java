package dev.lectern.inference.bert;

/** GELU in its exact form, {@code x·Φ(x) = ½·x·(1 + erf(x/√2))}, as BERT (and the ONNX export's Erf node) defines it. */
public final class Gelu {
    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);

    private Gelu() {
    }

    public static float apply(float x) {
        return (float) (0.5 * x * (1.0 + Erf.erf(x * INV_SQRT2)));
    }

    /** Applies GELU in place to {@code values[from, to)}. */
    public static void applyInPlace(float[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            values[i] = apply(values[i]);
        }
    }
}
