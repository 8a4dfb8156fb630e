package dev.lectern.inference.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot product and scaled accumulation over F32 activation slices, for attention (query·key, Σ p·value).
 * Weight matrices never pass through here: their kernels live with their tensor types.
 */
final class VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorMath() {}

    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        float sum = 0f;
        if (n >= S.length()) {
            FloatVector acc = FloatVector.zero(S);
            for (int bound = S.loopBound(n); i < bound; i += S.length()) {
                acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
            }
            sum = sumLanes(acc);
        }
        for (; i < n; i++) sum += a[aOff + i] * b[bOff + i];
        return sum;
    }

    /**
     * The lanes' sum by a fixed pairwise tree. {@code reduceLanes(ADD)} sums in a different order when interpreted
     * and when compiled, which would make logits depend on JIT timing (and so on the thread count).
     */
    private static float sumLanes(FloatVector v) {
        for (int w = v.length() / 2; w > 0; w /= 2) v = v.add(v.slice(w));
        return v.lane(0);
    }

    /** {@code y += alpha · x} over {@code n} elements. */
    static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        if (n >= S.length()) {
            FloatVector va = FloatVector.broadcast(S, alpha);
            for (int bound = S.loopBound(n); i < bound; i += S.length()) {
                FloatVector.fromArray(S, x, xOff + i).fma(va, FloatVector.fromArray(S, y, yOff + i))
                        .intoArray(y, yOff + i);
            }
        }
        for (; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }
}
