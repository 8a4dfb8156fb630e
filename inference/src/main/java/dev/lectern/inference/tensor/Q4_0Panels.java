package dev.lectern.inference.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static dev.lectern.inference.tensor.Vectors.F;

/**
 * A Q4_0 matrix repacked into {@link RowPanels}: per panel and block, four little-endian 32-bit words per row,
 * word {@code w} holding columns {@code 8w .. 8w + 7} of the block, column {@code 8w + c} in bits
 * {@code 4c .. 4c + 3} ({@code q[panel][block][w][lane]}). One int-vector load gives 8 consecutive columns of
 * {@code P} rows with no widening; the row-major blocks pair column {@code j} with {@code j + 16} instead.
 *
 * <p><b>The arithmetic.</b> Per output {@code (s, r)} and block {@code b}: {@code σ = Σ_k (q[r][k] - 8)·x[s][k]},
 * one FMA per column in order from 0, then {@code acc = fma(σ, d[r][b], acc)}, blocks in order from 0. The codes
 * become floats exactly (see {@link #column}); every tile performs this sequence for each of its outputs. The
 * scale is applied once per block rather than to every code, so on one sequence a code costs a shift, an AND-OR, a
 * subtraction and one FMA.
 *
 * <p>The tiles of 8 sequences keep their per-block sums in registers (24 for 3 panels) and the running
 * accumulators in the output array (a load and a store per block and output, one every 32 FMAs): there are not
 * registers for both.
 *
 * <p><b>C2's inlining budget.</b> The columns of a word are loops, not written out: with 32 conversions written
 * out (4 panels × 8 columns), or the 24 scale updates of {@link #tile3x8} inline, a tile grew past C2's
 * inlining limit (NodeCountInliningCutoff), the Vector API calls past it were not intrinsified and every vector was
 * boxed: 2.5 GFLOP/s instead of 60 on one sequence, 4 instead of 90 on 8. {@code -XX:+PrintInlining} shows it.
 */
final class Q4_0Panels extends RowPanels {

    private static final VectorSpecies<Integer> INTS = F.withLanes(int.class);
    /** Bytes per word of codes of one panel: one int per lane. */
    private static final int WORD = 4 * P;

    /** The bits of 2^23, whose ulp is 1: a 4-bit code OR-ed into its mantissa gives 2^23 + code, exactly. */
    private static final int POWER_BITS = 0x4B000000;
    /** 2^23 + 8: subtracted, it leaves code - 8, exactly. */
    private static final float POWER_PLUS_8 = 0x1p23f + 8;

    private Q4_0Panels(MemorySegment rowMajor, int rows, int cols) {
        super(rowMajor, rows, cols, Q4_0Matrix.BLOCK_BYTES, BLOCK / 2, Q4_0Panels::pack);
    }

    /** Repacks the row-major Q4_0 blocks of a {@code rows × cols} matrix. */
    static Q4_0Panels repack(MemorySegment rowMajor, int rows, int cols) {
        return new Q4_0Panels(rowMajor, rows, cols);
    }

    /** A lane's codes of one block: four little-endian words of 8 columns each, 4 bits per column. */
    private static void pack(byte[] in, int at, byte[] out, int o, int lane) {
        for (int w = 0; w < 4; w++) {
            for (int byteOfWord = 0; byteOfWord < 4; byteOfWord++) {
                int k = 8 * w + 2 * byteOfWord;
                out[o + w * WORD + 4 * lane + byteOfWord] = (byte) (code(in, at, k) | code(in, at, k + 1) << 4);
            }
        }
    }

    /** Code {@code k} of the row-major block at {@code in[at]}: byte {@code k % 16}'s low nibble for k < 16, else its high one. */
    private static int code(byte[] in, int at, int k) {
        int b = in[at + 2 + k % 16] & 0xFF;
        return k < 16 ? b & 0xF : b >>> 4;
    }

    /** Word {@code offset} of {@code P} rows. */
    private static IntVector word(MemorySegment seg, long offset) {
        return IntVector.fromMemorySegment(INTS, seg, offset, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The 4-bit code in bits {@code 4c .. 4c + 3} of each lane, less 8, as a float, with no conversion instruction:
     * shifted down, OR-ed into the mantissa of 2^23 and 2^23 + 8 subtracted.
     */
    private static FloatVector column(IntVector word, int c) {
        return word.lanewise(VectorOperators.LSHR, 4 * c).and(0xF).or(POWER_BITS).reinterpretAsFloats().sub(POWER_PLUS_8);
    }

    /** {@code t[at ..] = fma(σ, d, t[at ..])}: a running accumulator kept in the output array. */
    private static void accumulate(float[] t, int at, FloatVector sum, FloatVector d) {
        sum.fma(d, FloatVector.fromArray(F, t, at)).intoArray(t, at);
    }

    /** Zeroes the {@code panels} outputs of 8 sequences at {@code t[o + j·stride + i·P]}: the accumulators' start. */
    private static void zero(float[] t, int o, int stride, int panels) {
        FloatVector z = FloatVector.zero(F);
        for (int j = 0; j < 8; j++) for (int i = 0; i < panels; i++) z.intoArray(t, o + j * stride + i * P);
    }

    /** Per block, 24 sums in registers; each broadcast activation serves 3 panels. */
    @Override
    void tile3x8(int g, float[] d, float[] x, int xs, float[] t, int o, int stride) {
        MemorySegment seg = panels;
        int c = cols, step = blocks * P;
        float[] u = SUMS.get();
        zero(t, o, stride, 3);
        FloatVector z = FloatVector.zero(F);
        for (int blk = 0; blk < blocks; blk++) {
            long pa = at(g, blk), pb = at(g + 1, blk), pc = at(g + 2, blk);
            FloatVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
            FloatVector b0 = z, b1 = z, b2 = z, b3 = z, b4 = z, b5 = z, b6 = z, b7 = z;
            FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
            for (int k = 0; k < BLOCK; k++) {
                long w = (k >> 3) * WORD;
                int c8 = k & 7, i = xs + blk * BLOCK + k;
                FloatVector wa = column(word(seg, pa + w), c8), wb = column(word(seg, pb + w), c8), wc = column(word(seg, pc + w), c8);
                FloatVector v = FloatVector.broadcast(F, x[i]);
                a0 = wa.fma(v, a0); b0 = wb.fma(v, b0); c0 = wc.fma(v, c0);
                v = FloatVector.broadcast(F, x[i + c]);
                a1 = wa.fma(v, a1); b1 = wb.fma(v, b1); c1 = wc.fma(v, c1);
                v = FloatVector.broadcast(F, x[i + 2 * c]);
                a2 = wa.fma(v, a2); b2 = wb.fma(v, b2); c2 = wc.fma(v, c2);
                v = FloatVector.broadcast(F, x[i + 3 * c]);
                a3 = wa.fma(v, a3); b3 = wb.fma(v, b3); c3 = wc.fma(v, c3);
                v = FloatVector.broadcast(F, x[i + 4 * c]);
                a4 = wa.fma(v, a4); b4 = wb.fma(v, b4); c4 = wc.fma(v, c4);
                v = FloatVector.broadcast(F, x[i + 5 * c]);
                a5 = wa.fma(v, a5); b5 = wb.fma(v, b5); c5 = wc.fma(v, c5);
                v = FloatVector.broadcast(F, x[i + 6 * c]);
                a6 = wa.fma(v, a6); b6 = wb.fma(v, b6); c6 = wc.fma(v, c6);
                v = FloatVector.broadcast(F, x[i + 7 * c]);
                a7 = wa.fma(v, a7); b7 = wb.fma(v, b7); c7 = wc.fma(v, c7);
            }
            // The 24 sums go through memory to the accumulators, in a loop of its own (see C2's inlining budget).
            int p = P;
            a0.intoArray(u, 0); b0.intoArray(u, p); c0.intoArray(u, 2 * p);
            a1.intoArray(u, 3 * p); b1.intoArray(u, 4 * p); c1.intoArray(u, 5 * p);
            a2.intoArray(u, 6 * p); b2.intoArray(u, 7 * p); c2.intoArray(u, 8 * p);
            a3.intoArray(u, 9 * p); b3.intoArray(u, 10 * p); c3.intoArray(u, 11 * p);
            a4.intoArray(u, 12 * p); b4.intoArray(u, 13 * p); c4.intoArray(u, 14 * p);
            a5.intoArray(u, 15 * p); b5.intoArray(u, 16 * p); c5.intoArray(u, 17 * p);
            a6.intoArray(u, 18 * p); b6.intoArray(u, 19 * p); c6.intoArray(u, 20 * p);
            a7.intoArray(u, 21 * p); b7.intoArray(u, 22 * p); c7.intoArray(u, 23 * p);
            scale(u, d, blk * P, step, t, o, stride);
        }
    }

    /** Per thread: the 24 per-block sums of {@link #tile3x8}, {@code [sequence][panel][lane]}. */
    private static final ThreadLocal<float[]> SUMS = ThreadLocal.withInitial(() -> new float[24 * P]);

    /** {@code t[o + j·stride + i·P] = fma(σ[j][i], d[di + i·step], t[..])}: a block's sums scaled into the accumulators. */
    private static void scale(float[] sums, float[] d, int di, int step, float[] t, int o, int stride) {
        for (int i = 0; i < 3; i++) {
            FloatVector scale = FloatVector.fromArray(F, d, di + i * step);
            for (int j = 0; j < 8; j++) accumulate(t, o + j * stride + i * P, FloatVector.fromArray(F, sums, (3 * j + i) * P), scale);
        }
    }

    /** {@link #tile3x8} for one panel: 8 sums and 8 accumulators, all in registers. */
    @Override
    void tile1x8(int g, float[] d, int d0, float[] x, int xs, float[] t, int o, int stride) {
        MemorySegment seg = panels;
        int c = cols;
        FloatVector z = FloatVector.zero(F);
        FloatVector e0 = z, e1 = z, e2 = z, e3 = z, e4 = z, e5 = z, e6 = z, e7 = z;
        for (int blk = 0; blk < blocks; blk++) {
            long pa = at(g, blk);
            FloatVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
            for (int k = 0; k < BLOCK; k++) {
                FloatVector wa = column(word(seg, pa + (k >> 3) * WORD), k & 7);
                int i = xs + blk * BLOCK + k;
                a0 = wa.fma(FloatVector.broadcast(F, x[i]), a0);
                a1 = wa.fma(FloatVector.broadcast(F, x[i + c]), a1);
                a2 = wa.fma(FloatVector.broadcast(F, x[i + 2 * c]), a2);
                a3 = wa.fma(FloatVector.broadcast(F, x[i + 3 * c]), a3);
                a4 = wa.fma(FloatVector.broadcast(F, x[i + 4 * c]), a4);
                a5 = wa.fma(FloatVector.broadcast(F, x[i + 5 * c]), a5);
                a6 = wa.fma(FloatVector.broadcast(F, x[i + 6 * c]), a6);
                a7 = wa.fma(FloatVector.broadcast(F, x[i + 7 * c]), a7);
            }
            FloatVector da = FloatVector.fromArray(F, d, d0 + blk * P);
            e0 = a0.fma(da, e0); e1 = a1.fma(da, e1); e2 = a2.fma(da, e2); e3 = a3.fma(da, e3);
            e4 = a4.fma(da, e4); e5 = a5.fma(da, e5); e6 = a6.fma(da, e6); e7 = a7.fma(da, e7);
        }
        e0.intoArray(t, o);
        e1.intoArray(t, o + stride);
        e2.intoArray(t, o + 2 * stride);
        e3.intoArray(t, o + 3 * stride);
        e4.intoArray(t, o + 4 * stride);
        e5.intoArray(t, o + 5 * stride);
        e6.intoArray(t, o + 6 * stride);
        e7.intoArray(t, o + 7 * stride);
    }

    /** Four panels × one sequence: four chains of sums, each broadcast activation serving four panels. */
    @Override
    void tile4x1(int g, float[] d, float[] x, int xs, float[] t, int o) {
        MemorySegment seg = panels;
        int step = blocks * P;
        FloatVector z = FloatVector.zero(F);
        FloatVector e0 = z, e1 = z, e2 = z, e3 = z;
        for (int blk = 0; blk < blocks; blk++) {
            long p0 = at(g, blk), p1 = at(g + 1, blk), p2 = at(g + 2, blk), p3 = at(g + 3, blk);
            FloatVector a0 = z, a1 = z, a2 = z, a3 = z;
            for (int w = 0; w < 4; w++) {
                long off = (long) w * WORD;
                IntVector q0 = word(seg, p0 + off), q1 = word(seg, p1 + off), q2 = word(seg, p2 + off), q3 = word(seg, p3 + off);
                int i = xs + blk * BLOCK + 8 * w;
                for (int c = 0; c < 8; c++) {
                    FloatVector v = FloatVector.broadcast(F, x[i + c]);
                    a0 = column(q0, c).fma(v, a0); a1 = column(q1, c).fma(v, a1);
                    a2 = column(q2, c).fma(v, a2); a3 = column(q3, c).fma(v, a3);
                }
            }
            int di = blk * P;
            e0 = a0.fma(FloatVector.fromArray(F, d, di), e0);
            e1 = a1.fma(FloatVector.fromArray(F, d, di + step), e1);
            e2 = a2.fma(FloatVector.fromArray(F, d, di + 2 * step), e2);
            e3 = a3.fma(FloatVector.fromArray(F, d, di + 3 * step), e3);
        }
        e0.intoArray(t, o);
        e1.intoArray(t, o + P);
        e2.intoArray(t, o + 2 * P);
        e3.intoArray(t, o + 3 * P);
    }

    /** One panel × one sequence: {@link #tile4x1} for one panel. */
    @Override
    void tile1x1(int g, float[] d, int d0, float[] x, int xs, float[] t, int o) {
        MemorySegment seg = panels;
        FloatVector z = FloatVector.zero(F), e = z;
        for (int blk = 0; blk < blocks; blk++) {
            long p0 = at(g, blk);
            FloatVector a = z;
            for (int w = 0; w < 4; w++) {
                IntVector q = word(seg, p0 + (long) w * WORD);
                int i = xs + blk * BLOCK + 8 * w;
                for (int c = 0; c < 8; c++) a = column(q, c).fma(FloatVector.broadcast(F, x[i + c]), a);
            }
            e = a.fma(FloatVector.fromArray(F, d, d0 + blk * P), e);
        }
        e.intoArray(t, o);
    }
}
