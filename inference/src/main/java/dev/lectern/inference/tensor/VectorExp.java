package dev.lectern.inference.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * e^y over float vectors, for GELU's Gaussian, attention's softmax and SiLU, from additions, multiplications and
 * FMAs only. Not {@code VectorOperators.EXP}: that one is an intrinsic once the JIT has compiled the caller but a per-lane
 * {@code Math.exp} before, so its last bit would depend on the JIT's state, and results must not.
 */
public final class VectorExp {
    public static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorExp() {
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
    public static FloatVector exp(FloatVector y) {
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
