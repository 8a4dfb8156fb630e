package dev.lectern.inference.bert;

import dev.lectern.inference.tensor.VectorExp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * GELU in its exact form, {@code x·Φ(x) = ½·x·(1 + erf(x/√2))}, as BERT (and the ONNX export's Erf node) defines it,
 * vectorized over whole rows of activations (it runs on every value of the intermediate layer).
 *
 * <p>erf is evaluated in float with Abramowitz and Stegun's formula 7.1.26,
 * {@code erf(z) = 1 − t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·e^(−z²)} with {@code t = 1/(1 + p·z)} for
 * {@code z ≥ 0} (odd symmetry for the rest), whose absolute error is below 1.5e-7, about one float ulp of erf near
 * 1; a double-precision erf in the tests is the reference it is held to. ONNX Runtime's CPU Erf is likewise a float
 * approximation. The exponential is {@link VectorExp}'s. Every value, including the tail of a row, goes through the same lane arithmetic (the tail under a
 * mask), so a value's result never depends on its position, the row length or the batch.
 */
public final class Gelu {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float INV_SQRT2 = (float) (1.0 / Math.sqrt(2.0));
    private static final float P = 0.3275911f;
    private static final float A1 = 0.254829592f;
    private static final float A2 = -0.284496736f;
    private static final float A3 = 1.421413741f;
    private static final float A4 = -1.453152027f;
    private static final float A5 = 1.061405429f;

    private Gelu() {
    }

    /** GELU of one value (the same lane arithmetic as {@link #applyInPlace}). */
    public static float apply(float x) {
        float[] one = {x};
        applyInPlace(one, 0, 1);
        return one[0];
    }

    /** Applies GELU in place to {@code values[from, to)}. */
    public static void applyInPlace(float[] values, int from, int to) {
        int i = from;
        for (; i + S.length() <= to; i += S.length()) {
            gelu(FloatVector.fromArray(S, values, i)).intoArray(values, i);
        }
        if (i < to) {
            VectorMask<Float> tail = S.indexInRange(i, to);
            gelu(FloatVector.fromArray(S, values, i, tail)).intoArray(values, i, tail);
        }
    }

    private static FloatVector gelu(FloatVector x) {
        FloatVector z = x.mul(INV_SQRT2).abs();
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector t = one.div(z.fma(FloatVector.broadcast(S, P), one));
        FloatVector poly = t.fma(FloatVector.broadcast(S, A5), FloatVector.broadcast(S, A4));
        poly = poly.fma(t, FloatVector.broadcast(S, A3));
        poly = poly.fma(t, FloatVector.broadcast(S, A2));
        poly = poly.fma(t, FloatVector.broadcast(S, A1));
        poly = poly.mul(t);
        FloatVector gaussian = VectorExp.exp(z.mul(z).neg());
        // tail = 1 − erf(|x|/√2); 1 + erf(x/√2) is 2 − tail for x ≥ 0 and tail itself for x < 0 (no cancellation).
        FloatVector tail = poly.mul(gaussian);
        FloatVector onePlusErf = FloatVector.broadcast(S, 2f).sub(tail).blend(tail, x.compare(VectorOperators.LT, 0f));
        return x.mul(0.5f).mul(onePlusErf);
    }
}
