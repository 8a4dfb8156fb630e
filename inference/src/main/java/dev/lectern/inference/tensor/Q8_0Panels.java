package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static dev.lectern.inference.tensor.Vectors.F;

/**
 * A Q8_0 matrix repacked into {@link RowPanels}: per panel and block, the 32 codes of each of {@code P} rows,
 * column by column ({@code q[panel][block][k][lane]}, {@code k = 0 .. 31}), the same bytes as the rows' blocks,
 * reordered.
 *
 * <p><b>The arithmetic.</b> Output {@code (s, r)} is lane {@code r % P} of one accumulator vector, updated for
 * every column in order: {@code acc = fma(q[r][k]·d[r][k/32], x[s][k], acc)}, starting from 0, with no final
 * reduction. {@code q·d} is exact in float (at most 19 significant bits), so this is the naive sequential dot
 * product of the dequantized row with the activation row, each step rounded once. Every tile below performs
 * exactly that sequence for each of its outputs.
 *
 * <p>On one core, a batch of 8 on an 8192 × 2048 matrix: 148 GFLOP/s against 75 for the staged row-major
 * kernel this replaced; a single sequence streams as fast as before.
 */
final class Q8_0Panels extends RowPanels<Q8_0Panels.FloatRows> {

    private Q8_0Panels(MemorySegment rowMajor, int rows, int cols) {
        super(rowMajor, rows, cols, Q8_0Matrix.BLOCK_BYTES, Q8_0Matrix.BLOCK, Q8_0Panels::pack);
    }

    /** Repacks the row-major Q8_0 blocks of a {@code rows × cols} matrix. */
    static Q8_0Panels repack(MemorySegment rowMajor, int rows, int cols) {
        return new Q8_0Panels(rowMajor, rows, cols);
    }

    /** A lane's codes of one block, column by column. */
    private static void pack(byte[] in, int at, byte[] out, int o, int lane) {
        for (int k = 0; k < Q8_0Matrix.BLOCK; k++) out[o + k * P + lane] = in[at + 2 + k];
    }

    /** Activation rows as they are: sequence {@code s} at {@code x[offset + s·cols]}. */
    record FloatRows(float[] x, int offset) {}

    /** Per thread: the last 4 to 7 activation rows of a batch followed by zero rows, 8 rows in all. */
    private static final ThreadLocal<float[][]> PADDED = ThreadLocal.withInitial(() -> new float[1][0]);

    @Override
    FloatRows activations(float[] x, int xOff, int batch) {
        return new FloatRows(x, xOff);
    }

    @Override
    FloatRows padded(float[] x, int from, int count) {
        float[][] holder = PADDED.get();
        if (holder[0].length < 8 * cols) holder[0] = new float[8 * cols];
        float[] x8 = holder[0];
        System.arraycopy(x, from, x8, 0, count * cols);
        java.util.Arrays.fill(x8, count * cols, 8 * cols, 0f);
        return new FloatRows(x8, 0);
    }

    /**
     * The first {@code P} codes of a load, dequantized: {@code q·d}, exact. (The part is a constant: a loop over
     * parts, even of one trip, left C2 without a constant at the conversion, and it boxed every vector.)
     */
    private static FloatVector weights(ByteVector codes, FloatVector d) {
        return Vectors.toFloats(codes, 0).mul(d);
    }

    /** 24 accumulators; each broadcast activation serves 3 panels. */
    @Override
    void tile3x8(int g, float[] d, FloatRows a, int s, float[] t, int o, int stride) {
        tile3(g, d, a, s, true, t, o, stride);
    }

    /** {@link #tile3x8} for 4 sequences. */
    @Override
    void tile3x4(int g, float[] d, FloatRows a, int s, float[] t, int o, int stride) {
        tile3(g, d, a, s, false, t, o, stride);
    }

    /** On one core and 2048 × 2048: a group of 4 costs about 0.6 of a group of 8 and a single sequence 0.3 of one. */
    @Override
    int quartetsUpTo() {
        return 5;
    }

    /**
     * Panels {@code g .. g+2} × 8 sequences, or the first 4 of them unless {@code eight}: one method for both, the
     * test on {@code eight} being loop-invariant, so that C2 compiles a loop for each (loop unswitching).
     */
    private void tile3(int g, float[] d, FloatRows a, int s, boolean eight, float[] t, int o, int stride) {
        MemorySegment seg = panels;
        float[] x = a.x();
        int xs = a.offset() + s * cols;
        int c = cols;
        FloatVector z = FloatVector.zero(F);
        FloatVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        FloatVector b0 = z, b1 = z, b2 = z, b3 = z, b4 = z, b5 = z, b6 = z, b7 = z;
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        for (int blk = 0; blk < blocks; blk++) {
            long pa = at(g, blk), pb = at(g + 1, blk), pc = at(g + 2, blk);
            int di = blk * P, step = blocks * P;
            FloatVector da = FloatVector.fromArray(F, d, di), db = FloatVector.fromArray(F, d, di + step), dc = FloatVector.fromArray(F, d, di + 2 * step);
            for (int k = 0; k < Q8_0Matrix.BLOCK; k++) {
                ByteVector qa = Vectors.load(seg, pa + k * P);
                ByteVector qb = Vectors.load(seg, pb + k * P);
                ByteVector qc = Vectors.load(seg, pc + k * P);
                FloatVector wa = weights(qa, da), wb = weights(qb, db), wc = weights(qc, dc);
                int i = xs + blk * Q8_0Matrix.BLOCK + k;
                FloatVector v = FloatVector.broadcast(F, x[i]);
                a0 = wa.fma(v, a0); b0 = wb.fma(v, b0); c0 = wc.fma(v, c0);
                v = FloatVector.broadcast(F, x[i + c]);
                a1 = wa.fma(v, a1); b1 = wb.fma(v, b1); c1 = wc.fma(v, c1);
                v = FloatVector.broadcast(F, x[i + 2 * c]);
                a2 = wa.fma(v, a2); b2 = wb.fma(v, b2); c2 = wc.fma(v, c2);
                v = FloatVector.broadcast(F, x[i + 3 * c]);
                a3 = wa.fma(v, a3); b3 = wb.fma(v, b3); c3 = wc.fma(v, c3);
                if (eight) {
                    v = FloatVector.broadcast(F, x[i + 4 * c]);
                    a4 = wa.fma(v, a4); b4 = wb.fma(v, b4); c4 = wc.fma(v, c4);
                    v = FloatVector.broadcast(F, x[i + 5 * c]);
                    a5 = wa.fma(v, a5); b5 = wb.fma(v, b5); c5 = wc.fma(v, c5);
                    v = FloatVector.broadcast(F, x[i + 6 * c]);
                    a6 = wa.fma(v, a6); b6 = wb.fma(v, b6); c6 = wc.fma(v, c6);
                    v = FloatVector.broadcast(F, x[i + 7 * c]);
                    a7 = wa.fma(v, a7); b7 = wb.fma(v, b7); c7 = wc.fma(v, c7);
                }
            }
        }
        // Sequence j, panel i at t[o + j·stride + i·P].
        int p = P;
        a0.intoArray(t, o); b0.intoArray(t, o + p); c0.intoArray(t, o + 2 * p);
        o += stride;
        a1.intoArray(t, o); b1.intoArray(t, o + p); c1.intoArray(t, o + 2 * p);
        o += stride;
        a2.intoArray(t, o); b2.intoArray(t, o + p); c2.intoArray(t, o + 2 * p);
        o += stride;
        a3.intoArray(t, o); b3.intoArray(t, o + p); c3.intoArray(t, o + 2 * p);
        if (!eight) return;
        o += stride;
        a4.intoArray(t, o); b4.intoArray(t, o + p); c4.intoArray(t, o + 2 * p);
        o += stride;
        a5.intoArray(t, o); b5.intoArray(t, o + p); c5.intoArray(t, o + 2 * p);
        o += stride;
        a6.intoArray(t, o); b6.intoArray(t, o + p); c6.intoArray(t, o + 2 * p);
        o += stride;
        a7.intoArray(t, o); b7.intoArray(t, o + p); c7.intoArray(t, o + 2 * p);
    }

    /** Panel {@code g} × 8 sequences into {@code t[o + j·stride]}: {@link #tile3x8} for one panel. */
    @Override
    void tile1x8(int g, float[] d, int d0, FloatRows a, int s, float[] t, int o, int stride) {
        tile1(g, d, d0, a, s, true, t, o, stride);
    }

    /** {@link #tile1x8} for 4 sequences. */
    @Override
    void tile1x4(int g, float[] d, int d0, FloatRows a, int s, float[] t, int o, int stride) {
        tile1(g, d, d0, a, s, false, t, o, stride);
    }

    /** Panel {@code g} × 8 sequences, or the first 4 unless {@code eight} (as {@link #tile3}). */
    private void tile1(int g, float[] d, int d0, FloatRows a, int s, boolean eight, float[] t, int o, int stride) {
        MemorySegment seg = panels;
        float[] x = a.x();
        int xs = a.offset() + s * cols;
        int c = cols;
        FloatVector z = FloatVector.zero(F);
        FloatVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        for (int blk = 0; blk < blocks; blk++) {
            long pa = at(g, blk);
            FloatVector da = FloatVector.fromArray(F, d, d0 + blk * P);
            for (int k = 0; k < Q8_0Matrix.BLOCK; k++) {
                ByteVector qa = Vectors.load(seg, pa + k * P);
                FloatVector wa = weights(qa, da);
                int i = xs + blk * Q8_0Matrix.BLOCK + k;
                a0 = wa.fma(FloatVector.broadcast(F, x[i]), a0);
                a1 = wa.fma(FloatVector.broadcast(F, x[i + c]), a1);
                a2 = wa.fma(FloatVector.broadcast(F, x[i + 2 * c]), a2);
                a3 = wa.fma(FloatVector.broadcast(F, x[i + 3 * c]), a3);
                if (eight) {
                    a4 = wa.fma(FloatVector.broadcast(F, x[i + 4 * c]), a4);
                    a5 = wa.fma(FloatVector.broadcast(F, x[i + 5 * c]), a5);
                    a6 = wa.fma(FloatVector.broadcast(F, x[i + 6 * c]), a6);
                    a7 = wa.fma(FloatVector.broadcast(F, x[i + 7 * c]), a7);
                }
            }
        }
        a0.intoArray(t, o);
        a1.intoArray(t, o + stride);
        a2.intoArray(t, o + 2 * stride);
        a3.intoArray(t, o + 3 * stride);
        if (!eight) return;
        a4.intoArray(t, o + 4 * stride);
        a5.intoArray(t, o + 5 * stride);
        a6.intoArray(t, o + 6 * stride);
        a7.intoArray(t, o + 7 * stride);
    }

    /** Panels {@code g .. g+3} × one sequence: four independent accumulators, a stream of four panels. */
    @Override
    void tile4x1(int g, float[] d, FloatRows a, int s, float[] t, int o) {
        MemorySegment seg = panels;
        float[] x = a.x();
        int xs = a.offset() + s * cols;
        FloatVector z = FloatVector.zero(F);
        FloatVector a0 = z, a1 = z, a2 = z, a3 = z;
        for (int blk = 0; blk < blocks; blk++) {
            long p0 = at(g, blk), p1 = at(g + 1, blk), p2 = at(g + 2, blk), p3 = at(g + 3, blk);
            int di = blk * P, step = blocks * P;
            FloatVector d0 = FloatVector.fromArray(F, d, di), d1 = FloatVector.fromArray(F, d, di + step);
            FloatVector d2 = FloatVector.fromArray(F, d, di + 2 * step), d3 = FloatVector.fromArray(F, d, di + 3 * step);
            for (int k = 0; k < Q8_0Matrix.BLOCK; k++) {
                ByteVector q0 = Vectors.load(seg, p0 + k * P), q1 = Vectors.load(seg, p1 + k * P);
                ByteVector q2 = Vectors.load(seg, p2 + k * P), q3 = Vectors.load(seg, p3 + k * P);
                FloatVector v = FloatVector.broadcast(F, x[xs + blk * Q8_0Matrix.BLOCK + k]);
                a0 = weights(q0, d0).fma(v, a0);
                a1 = weights(q1, d1).fma(v, a1);
                a2 = weights(q2, d2).fma(v, a2);
                a3 = weights(q3, d3).fma(v, a3);
            }
        }
        a0.intoArray(t, o);
        a1.intoArray(t, o + P);
        a2.intoArray(t, o + 2 * P);
        a3.intoArray(t, o + 3 * P);
    }

    /** Panel {@code g} × one sequence into {@code t[o ..]}. */
    @Override
    void tile1x1(int g, float[] d, int d0, FloatRows a, int s, float[] t, int o) {
        MemorySegment seg = panels;
        float[] x = a.x();
        int xs = a.offset() + s * cols;
        FloatVector acc = FloatVector.zero(F);
        for (int blk = 0; blk < blocks; blk++) {
            long p0 = at(g, blk);
            FloatVector scale = FloatVector.fromArray(F, d, d0 + blk * P);
            for (int k = 0; k < Q8_0Matrix.BLOCK; k++) {
                ByteVector q = Vectors.load(seg, p0 + k * P);
                acc = weights(q, scale).fma(FloatVector.broadcast(F, x[xs + blk * Q8_0Matrix.BLOCK + k]), acc);
            }
        }
        acc.intoArray(t, o);
    }
}
