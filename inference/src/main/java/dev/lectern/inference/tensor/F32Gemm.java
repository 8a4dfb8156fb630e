package dev.lectern.inference.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * The register-tiled F32 GEMM micro-kernel that every batched product ends in: a panel of weight rows (F32, in a
 * segment) times a batch of activation rows.
 *
 * <p>Tiling: 4 weight rows × 2 activation rows at a time, 8 vector accumulators, so each loaded weight vector is
 * used twice and each activation vector four times (6 loads per 8 FMAs). Activation rows are visited in blocks
 * that fit in L2 so they are re-read from cache for each 4-row tile.
 *
 * <p>Summation order: each output {@code W[r]·x[b]} has one vector accumulator, fed in increasing column order,
 * then reduced across lanes, then the scalar tail is added. The order is the same in the 4×2 tile and in the
 * edge cases (fewer rows or one activation row), so the value of an output never depends on the tiling, the
 * thread split or the batch size.
 */
final class F32Gemm {

    static final VectorSpecies<Float> S = Vectors.F;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int PANEL_BYTES = 64 * 1024;
    private static final int X_BLOCK_BYTES = 128 * 1024;

    private F32Gemm() {}

    /** Per-thread dequantization buffer, grown on demand and then reused (no allocation in steady state). */
    static final class Scratch {
        float[] floats = new float[0];
        MemorySegment segment = MemorySegment.ofArray(floats);
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static Scratch scratch(int floats) {
        Scratch s = SCRATCH.get();
        if (s.floats.length < floats) {
            s.floats = new float[floats];
            s.segment = MemorySegment.ofArray(s.floats);
        }
        return s;
    }

    /** Rows per dequantized panel: a multiple of 4 whose floats fit in about 64 KiB. */
    static int panelRows(int cols) {
        return Math.max(4, PANEL_BYTES / (cols * 4) / 4 * 4);
    }

    /**
     * {@code out[outOff + b*outStride + i] = W[i] · x[xOff + b*cols ..]} for {@code i < nRows}, {@code b < batch},
     * where W row {@code i} is {@code cols} little-endian floats at byte {@code wOff + i*cols*4} of {@code w}.
     */
    static void panel(MemorySegment w, long wOff, int nRows, int cols, float[] x, int xOff, int batch,
                      float[] out, int outOff, int outStride) {
        long rowBytes = (long) cols * 4;
        int xBlock = Math.max(2, Math.min(batch, X_BLOCK_BYTES / (cols * 4)) & ~1);
        for (int b0 = 0; b0 < batch; b0 += xBlock) {
            int b1 = Math.min(batch, b0 + xBlock);
            int i = 0;
            for (; i + 4 <= nRows; i += 4) {
                long w0 = wOff + i * rowBytes;
                int b = b0;
                for (; b + 2 <= b1; b += 2) {
                    tile4x2(w, w0, rowBytes, cols, x, xOff + b * cols, out, outOff + b * outStride + i, outStride);
                }
                if (b < b1) {
                    for (int k = 0; k < 4; k++) {
                        out[outOff + b * outStride + i + k] = dot1(w, w0 + k * rowBytes, cols, x, xOff + b * cols);
                    }
                }
            }
            for (; i < nRows; i++) {
                for (int b = b0; b < b1; b++) {
                    out[outOff + b * outStride + i] = dot1(w, wOff + i * rowBytes, cols, x, xOff + b * cols);
                }
            }
        }
    }

    private static void tile4x2(MemorySegment w, long w0, long rowBytes, int cols, float[] x, int x0,
                                float[] out, int o, int outStride) {
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
        FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S);
        FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
        int upper = S.loopBound(cols);
        int x1 = x0 + cols;
        for (int k = 0; k < upper; k += S.length()) {
            FloatVector xv0 = FloatVector.fromArray(S, x, x0 + k);
            FloatVector xv1 = FloatVector.fromArray(S, x, x1 + k);
            long kb = (long) k * 4;
            FloatVector wv = FloatVector.fromMemorySegment(S, w, w0 + kb, LE);
            a00 = wv.fma(xv0, a00);
            a01 = wv.fma(xv1, a01);
            wv = FloatVector.fromMemorySegment(S, w, w0 + rowBytes + kb, LE);
            a10 = wv.fma(xv0, a10);
            a11 = wv.fma(xv1, a11);
            wv = FloatVector.fromMemorySegment(S, w, w0 + 2 * rowBytes + kb, LE);
            a20 = wv.fma(xv0, a20);
            a21 = wv.fma(xv1, a21);
            wv = FloatVector.fromMemorySegment(S, w, w0 + 3 * rowBytes + kb, LE);
            a30 = wv.fma(xv0, a30);
            a31 = wv.fma(xv1, a31);
        }
        out[o] = finish(a00, w, w0, cols, upper, x, x0);
        out[o + outStride] = finish(a01, w, w0, cols, upper, x, x1);
        out[o + 1] = finish(a10, w, w0 + rowBytes, cols, upper, x, x0);
        out[o + 1 + outStride] = finish(a11, w, w0 + rowBytes, cols, upper, x, x1);
        out[o + 2] = finish(a20, w, w0 + 2 * rowBytes, cols, upper, x, x0);
        out[o + 2 + outStride] = finish(a21, w, w0 + 2 * rowBytes, cols, upper, x, x1);
        out[o + 3] = finish(a30, w, w0 + 3 * rowBytes, cols, upper, x, x0);
        out[o + 3 + outStride] = finish(a31, w, w0 + 3 * rowBytes, cols, upper, x, x1);
    }

    /** One output with the same summation order as one cell of {@link #tile4x2}. */
    static float dot1(MemorySegment w, long wRow, int cols, float[] x, int x0) {
        FloatVector acc = FloatVector.zero(S);
        int upper = S.loopBound(cols);
        for (int k = 0; k < upper; k += S.length()) {
            acc = FloatVector.fromMemorySegment(S, w, wRow + (long) k * 4, LE).fma(FloatVector.fromArray(S, x, x0 + k), acc);
        }
        return finish(acc, w, wRow, cols, upper, x, x0);
    }

    private static float finish(FloatVector acc, MemorySegment w, long wRow, int cols, int upper, float[] x, int x0) {
        float sum = Vectors.sum(acc);
        for (int k = upper; k < cols; k++) {
            sum = Math.fma(w.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE), wRow + (long) k * 4), x[x0 + k], sum);
        }
        return sum;
    }
}
