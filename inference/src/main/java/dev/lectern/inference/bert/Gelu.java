package dev.lectern.inference.bert;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
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
 * 1; {@link Erf} (double precision) is the reference the tests hold it to. ONNX Runtime's CPU Erf is likewise a float
 * approximation. The exponential is computed here from additions and multiplications only, not with
 * {@code VectorOperators.EXP}: that one is an intrinsic once compiled but a per-lane {@code Math.exp} before, so its
 * last bit would depend on the JIT's state. Every value, including the tail of a row, goes through the same lane arithmetic (the tail under a
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
        FloatVector gaussian = exp(z.mul(z).neg());
        // tail = 1 − erf(|x|/√2); 1 + erf(x/√2) is 2 − tail for x ≥ 0 and tail itself for x < 0 (no cancellation).
        FloatVector tail = poly.mul(gaussian);
        FloatVector onePlusErf = FloatVector.broadcast(S, 2f).sub(tail).blend(tail, x.compare(VectorOperators.LT, 0f));
        return x.mul(0.5f).mul(onePlusErf);
    }

    private static final float LOG2E = 1.4426950408889634f;
    private static final float LN2_HI = 0.693145751953125f;
    private static final float LN2_LO = 1.4286068203094172e-6f;
    /** Adding then subtracting 1.5·2²³ rounds a float of magnitude below 2²² to the nearest integer. */
    private static final float ROUND = 12582912f;

    /**
     * e^y for y ≤ 0 (smaller than −87 gives 0): y = n·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor polynomial to degree
     * 7 (truncation below 5e-9, under a float ulp), times 2ⁿ built in the exponent bits.
     */
    private static FloatVector exp(FloatVector y) {
        VectorMask<Float> underflow = y.compare(VectorOperators.LT, -87f);
        y = y.max(-87f);
        FloatVector n = y.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector r = n.neg().fma(FloatVector.broadcast(S, LN2_HI), y);
        r = n.neg().fma(FloatVector.broadcast(S, LN2_LO), r);
        FloatVector p = r.mul(1f / 5040).add(1f / 720);
        p = p.fma(r, FloatVector.broadcast(S, 1f / 120));
        p = p.fma(r, FloatVector.broadcast(S, 1f / 24));
        p = p.fma(r, FloatVector.broadcast(S, 1f / 6));
        p = p.fma(r, FloatVector.broadcast(S, 0.5f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats()).blend(0f, underflow);
    }
}
