package dev.lectern.inference.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector loops over F32 activations for attention: query·key scores over transposed keys, and Σ p·value.
 * Both accumulate along independent outputs (no horizontal sums), so results do not depend on JIT state.
 * Weight matrices never pass through here: their kernels live with their tensor types.
 */
final class VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorMath() {}

    /**
     * {@code scores[so + t] += Σ_d q[qOff + d] · keysT[base + d·stride + t]} for {@code t < n}: query·key for
     * {@code n} consecutive key slots of a transposed key block, vectorized along the slots. Dimensions are added in
     * order, four per pass over the scores.
     */
    static void scoreKeys(float[] q, int qOff, int dims, float[] keysT, int base, int stride,
                          float[] scores, int so, int n) {
        int d = 0;
        for (; d + 4 <= dims; d += 4) {
            float q0 = q[qOff + d], q1 = q[qOff + d + 1], q2 = q[qOff + d + 2], q3 = q[qOff + d + 3];
            int r0 = base + d * stride, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
            int t = 0;
            if (n >= S.length()) {
                FloatVector v0 = FloatVector.broadcast(S, q0), v1 = FloatVector.broadcast(S, q1);
                FloatVector v2 = FloatVector.broadcast(S, q2), v3 = FloatVector.broadcast(S, q3);
                for (int bound = S.loopBound(n); t < bound; t += S.length()) {
                    FloatVector acc = FloatVector.fromArray(S, scores, so + t);
                    acc = FloatVector.fromArray(S, keysT, r0 + t).fma(v0, acc);
                    acc = FloatVector.fromArray(S, keysT, r1 + t).fma(v1, acc);
                    acc = FloatVector.fromArray(S, keysT, r2 + t).fma(v2, acc);
                    acc = FloatVector.fromArray(S, keysT, r3 + t).fma(v3, acc);
                    acc.intoArray(scores, so + t);
                }
            }
            for (; t < n; t++) {
                float acc = scores[so + t];
                acc = Math.fma(keysT[r0 + t], q0, acc);
                acc = Math.fma(keysT[r1 + t], q1, acc);
                acc = Math.fma(keysT[r2 + t], q2, acc);
                acc = Math.fma(keysT[r3 + t], q3, acc);
                scores[so + t] = acc;
            }
        }
        for (; d < dims; d++) {
            float qd = q[qOff + d];
            int r = base + d * stride;
            for (int t = 0; t < n; t++) scores[so + t] = Math.fma(keysT[r + t], qd, scores[so + t]);
        }
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
