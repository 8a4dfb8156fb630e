package dev.lectern.inference.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled F32 GEMM that every batched product ({@code batch > 1}) ends in.
 *
 * <p>A panel of {@link #NR} weight rows (two float vectors' worth) is dequantized once and packed transposed,
 * {@code packed[k * NR + j] = W[r0 + j][k]}, so that one vector load at step {@code k} holds column {@code k} of
 * all the panel's rows. The micro-kernel then computes a 4 (activation rows) × NR (weight rows) tile of outputs
 * as outer products: per {@code k}, two weight vectors, four broadcast activations, eight FMAs into eight
 * vector accumulators (11 registers, so it also fits AVX2's 16). There is no horizontal reduction: lane
 * {@code j} of an accumulator is one output.
 *
 * <p>Summation order: every output is {@code fma(w_k, x_k, acc)} for {@code k = 0, 1, ...} from zero, one chain,
 * in whichever lane, tile or thread it lands. The result is therefore bit-identical for any thread count, any batch
 * size and any position of the row in its panel.
 */
final class F32Gemm {

    static final VectorSpecies<Float> S = Vectors.F;
    static final int L = S.length();
    /** Weight rows per packed panel. */
    static final int NR = 2 * L;

    private F32Gemm() {}

    /** Per-thread buffers, grown on demand and then reused (no allocation in steady state). */
    static final class Scratch {
        float[] row = new float[0];
        float[] packed = new float[0];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static Scratch scratch(int cols) {
        Scratch s = SCRATCH.get();
        if (s.row.length < cols) {
            s.row = new float[cols];
            s.packed = new float[cols * NR];
        }
        return s;
    }

    /**
     * {@code out[outOff + b * rows + r] = W[r] · x[xOff + b * cols ..]} for {@code r} in {@code [rowStart, rowEnd)}.
     */
    static void rows(Matrix m, float[] x, int xOff, int batch, float[] out, int outOff, int rowStart, int rowEnd) {
        int cols = m.cols(), rows = m.rows();
        Scratch s = scratch(cols);
        float[] row = s.row, packed = s.packed;
        for (int r0 = rowStart; r0 < rowEnd; r0 += NR) {
            int n = Math.min(NR, rowEnd - r0);
            for (int j = 0; j < n; j++) {
                m.dequantizeRow(r0 + j, row, 0);
                for (int k = 0, p = j; k < cols; k++, p += NR) packed[p] = row[k];
            }
            if (n < NR) {
                for (int k = 0; k < cols; k++) java.util.Arrays.fill(packed, k * NR + n, (k + 1) * NR, 0f);
            }
            int b = 0;
            for (; b + 4 <= batch; b += 4) tile4(packed, cols, x, xOff + b * cols, out, outOff + b * rows + r0, rows, n);
            for (; b < batch; b++) tile1(packed, cols, x, xOff + b * cols, out, outOff + b * rows + r0, n);
        }
    }

    private static void tile4(float[] packed, int cols, float[] x, int x0, float[] out, int o, int outStride, int n) {
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
        FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S);
        FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
        int x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        for (int k = 0, p = 0; k < cols; k++, p += NR) {
            FloatVector w0 = FloatVector.fromArray(S, packed, p);
            FloatVector w1 = FloatVector.fromArray(S, packed, p + L);
            FloatVector xb = FloatVector.broadcast(S, x[x0 + k]);
            a00 = w0.fma(xb, a00);
            a01 = w1.fma(xb, a01);
            xb = FloatVector.broadcast(S, x[x1 + k]);
            a10 = w0.fma(xb, a10);
            a11 = w1.fma(xb, a11);
            xb = FloatVector.broadcast(S, x[x2 + k]);
            a20 = w0.fma(xb, a20);
            a21 = w1.fma(xb, a21);
            xb = FloatVector.broadcast(S, x[x3 + k]);
            a30 = w0.fma(xb, a30);
            a31 = w1.fma(xb, a31);
        }
        store(a00, a01, out, o, n);
        store(a10, a11, out, o + outStride, n);
        store(a20, a21, out, o + 2 * outStride, n);
        store(a30, a31, out, o + 3 * outStride, n);
    }

    /** One activation row: the same per-output FMA chain as {@link #tile4}. */
    private static void tile1(float[] packed, int cols, float[] x, int x0, float[] out, int o, int n) {
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
        for (int k = 0, p = 0; k < cols; k++, p += NR) {
            FloatVector xb = FloatVector.broadcast(S, x[x0 + k]);
            a0 = FloatVector.fromArray(S, packed, p).fma(xb, a0);
            a1 = FloatVector.fromArray(S, packed, p + L).fma(xb, a1);
        }
        store(a0, a1, out, o, n);
    }

    /** Writes the first {@code n} of the 2·L outputs held by two accumulators. */
    private static void store(FloatVector lo, FloatVector hi, float[] out, int o, int n) {
        if (n == NR) {
            lo.intoArray(out, o);
            hi.intoArray(out, o + L);
        } else {
            for (int j = 0; j < Math.min(n, L); j++) out[o + j] = lo.lane(j);
            for (int j = L; j < n; j++) out[o + j] = hi.lane(j - L);
        }
    }
}
