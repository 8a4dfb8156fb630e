package dev.lectern.inference.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static dev.lectern.inference.tensor.Vectors.F;

/**
 * A Q4_0 matrix repacked into {@link RowPanels}, multiplied in integers with activations rounded to 8 bits per
 * block ({@link QuantizedActivations}), as llama.cpp multiplies Q4_0 weights.
 *
 * <p><b>The layout.</b> Per panel and block, four little-endian 32-bit words per row ({@code q[panel][block][w][lane]}),
 * word {@code w} holding columns {@code 8w .. 8w + 7}: its 16-bit half {@code h} holds columns
 * {@code 8w + 2c + h} ({@code c = 0 .. 3}) in bits {@code 4c .. 4c + 3}. Shifted right by {@code 4c} and masked
 * with {@code 0x000F000F}, a vector of words becomes a short vector of the codes of columns {@code 8w + 2c} and
 * {@code 8w + 2c + 1} of {@code P} rows, lanes alternating, which one multiplication meets with the broadcast
 * pair of activations of the same two columns ({@link QuantizedActivations#pairs}).
 *
 * <p><b>The arithmetic.</b> Per output {@code (s, r)} and block {@code b}, in 16-bit lanes, exact:
 * {@code Σ code·q} over the block's even and its odd columns (each at most 16 · 15 · 127 = 30480), added
 * in 32 bits, less {@code 8 · Σ q}: the integer {@code Σ (code - 8)·q}, converted to float exactly. Then
 * {@code acc = fma(σ, d[r][b] · scale[s][b], acc)}, blocks in order from 0. The sums are integers, so their order
 * cannot change a bit; only the per-block float steps have an order, and every tile keeps it.
 *
 * <p>Against the float kernel this replaced, a code costs a quarter of a shift, a quarter of an AND and half a
 * 16-bit multiply-add instead of a shift, an AND-OR, a subtraction and an FMA: on one sequence and one core, 66–78
 * GFLOP/s where the float kernel did 37 (2048 × 2048); 1.5× the tokens/s of a Llama-3.2-1B decode step.
 *
 * <p><b>Tiles of several sequences</b> work in halves of 4 sequences ({@link #sums3x4}, {@link #sums1x4}), each
 * a method of its own that leaves its per-block sums in a {@code short[]}; {@link #finish} turns them into the
 * float accumulators, which live in the output array. A tile of 8 runs both halves per block (the second reads
 * the codes again, from L1), a tile of 4 one of them.
 *
 * <p><b>C2's inlining budget.</b> Every arrangement that put more in one method boxed every vector (3–9 GFLOP/s
 * instead of 60–80): all 24 sums of 8 sequences in one method (the broadcasts were not inlined), a helper storing
 * a vector into an {@code int[]}, and 12 float accumulators with their block epilogues in registers next to the
 * 12 sums of a half. Past C2's inlining limit (NodeCountInliningCutoff) the Vector API calls are not intrinsified;
 * {@code -XX:+PrintInlining} shows it. Shifts are done on the int view: a variable shift of a short vector boxed too.
 */
final class Q4_0Panels extends RowPanels<QuantizedActivations> {

    private static final VectorSpecies<Integer> INTS = F.withLanes(int.class);
    private static final VectorSpecies<Short> SHORTS = F.withLanes(short.class);
    /** Bytes per word of codes of one panel: one int per lane. */
    private static final int WORD = 4 * P;
    /** Activation pairs per block. */
    private static final int PAIRS = BLOCK / 2;

    private Q4_0Panels(MemorySegment rowMajor, int rows, int cols) {
        super(rowMajor, rows, cols, Q4_0Matrix.BLOCK_BYTES, BLOCK / 2, Q4_0Panels::pack);
    }

    /** Repacks the row-major Q4_0 blocks of a {@code rows × cols} matrix. */
    static Q4_0Panels repack(MemorySegment rowMajor, int rows, int cols) {
        return new Q4_0Panels(rowMajor, rows, cols);
    }

    /**
     * A lane's codes of one block: four little-endian words of 8 columns. Byte {@code b} of a word belongs to half
     * {@code b / 2}; its low nibble is that half's code {@code c = 2·(b % 2)}, its high nibble code {@code c + 1}.
     */
    private static void pack(byte[] in, int at, byte[] out, int o, int lane) {
        for (int w = 0; w < 4; w++) {
            for (int b = 0; b < 4; b++) {
                int low = 8 * w + 2 * (2 * (b % 2)) + b / 2;
                out[o + w * WORD + 4 * lane + b] = (byte) (code(in, at, low) | code(in, at, low + 2) << 4);
            }
        }
    }

    /** Code {@code k} of the row-major block at {@code in[at]}: byte {@code k % 16}'s low nibble for k < 16, else its high one. */
    private static int code(byte[] in, int at, int k) {
        int b = in[at + 2 + k % 16] & 0xFF;
        return k < 16 ? b & 0xF : b >>> 4;
    }

    @Override
    QuantizedActivations activations(float[] x, int xOff, int batch) {
        return QuantizedActivations.of(x, xOff, batch, batch, cols, 0);
    }

    @Override
    QuantizedActivations padded(float[] x, int from, int count) {
        return QuantizedActivations.of(x, from, count, 8, cols, 1);
    }

    /** Word {@code offset} of {@code P} rows. */
    private static IntVector word(MemorySegment seg, long offset) {
        return IntVector.fromMemorySegment(INTS, seg, offset, ByteOrder.LITTLE_ENDIAN);
    }

    /** The codes of columns {@code 8w + 2c} and {@code 8w + 2c + 1} of word {@code w}'s rows, lanes alternating. */
    private static ShortVector pair(IntVector word, int c) {
        return word.lanewise(VectorOperators.LSHR, 4 * c).and(0x000F000F).reinterpretAsShorts();
    }

    /** Activation pair {@code j} broadcast: {@code q[2j], q[2j+1]} in every two lanes. */
    private static ShortVector broadcast(int[] pairs, int j) {
        return IntVector.broadcast(INTS, pairs[j]).reinterpretAsShorts();
    }

    /**
     * A block's σ as a float: the 16-bit sums of its even and odd columns ({@code sums}, lanes alternating) added
     * in 32 bits, less the activations' {@code offset} (8·Σq), converted exactly.
     */
    private static FloatVector sigma(ShortVector sums, int offset) {
        IntVector v = sums.reinterpretAsInts();
        v = v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.ASHR, 16)).sub(offset);
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }

    /** Per thread: the 24 per-block 16-bit sum vectors of an 8-sequence tile, {@code [sequence][panel][2P lanes]}. */
    private static final ThreadLocal<short[]> SUMS = ThreadLocal.withInitial(() -> new short[48 * P]);

    /** Zeroes the {@code panels} outputs of {@code seqs} sequences at {@code t[o + j·stride + i·P]}: the accumulators' start. */
    private static void zero(float[] t, int o, int stride, int panels, int seqs) {
        FloatVector z = FloatVector.zero(F);
        for (int j = 0; j < seqs; j++) for (int i = 0; i < panels; i++) z.intoArray(t, o + j * stride + i * P);
    }

    /** Per block, 24 sums in two halves of 12 in registers ({@link #sums3x4}); each broadcast activation pair serves 3 panels. */
    @Override
    void tile3x8(int g, float[] d, QuantizedActivations a, int s, float[] t, int o, int stride) {
        tile3(g, d, a, s, 8, t, o, stride);
    }

    /** {@link #tile3x8} for 4 sequences. */
    @Override
    void tile3x4(int g, float[] d, QuantizedActivations a, int s, float[] t, int o, int stride) {
        tile3(g, d, a, s, 4, t, o, stride);
    }

    /** On one core and 2048 × 2048: a group of 8 costs about two of 4 and a single sequence a quarter of a group of 4. */
    @Override
    int quartetsUpTo() {
        return 6;
    }

    /** Panels {@code g .. g+2} × sequences {@code s .. s + seqs - 1} ({@code seqs} 4 or 8), in halves of 4 sequences. */
    private void tile3(int g, float[] d, QuantizedActivations a, int s, int seqs, float[] t, int o, int stride) {
        short[] u = SUMS.get();
        zero(t, o, stride, 3, seqs);
        int h = cols / 2;
        for (int blk = 0; blk < blocks; blk++) {
            long pa = at(g, blk), pb = at(g + 1, blk), pc = at(g + 2, blk);
            int i = s * h + blk * PAIRS;
            for (int half = 0; half < seqs; half += 4) sums3x4(pa, pb, pc, a.pairs, i + half * h, h, u, half * 6 * P);
            finish(u, 3, d, blk * P, blocks * P, a, s, seqs, blk, t, o, stride);
        }
    }

    /**
     * One block of the panels whose codes start at {@code pa, pb, pc} × the 4 activation rows whose pairs start at
     * {@code x[i + j·h]}, {@code j < 4}: the 12 sums into {@code u[u0 + (3j + panel)·2P ..]}. Half an octet, in a method of
     * its own, so that C2 compiles it within its inlining budget (see the class comment: with all 8 rows here the
     * broadcasts were not inlined and every vector was boxed); it takes and returns no vectors. The second half
     * reads the same codes again, from L1.
     */
    private void sums3x4(long pa, long pb, long pc, int[] x, int i0, int h, short[] u, int u0) {
        MemorySegment seg = panels;
        ShortVector z = ShortVector.zero(SHORTS);
        ShortVector a0 = z, a1 = z, a2 = z, a3 = z;
        ShortVector b0 = z, b1 = z, b2 = z, b3 = z;
        ShortVector c0 = z, c1 = z, c2 = z, c3 = z;
        for (int w = 0; w < 4; w++) {
            long off = (long) w * WORD;
            IntVector qa = word(seg, pa + off), qb = word(seg, pb + off), qc = word(seg, pc + off);
            for (int c = 0; c < 4; c++) {
                ShortVector wa = pair(qa, c), wb = pair(qb, c), wc = pair(qc, c);
                int i = i0 + 4 * w + c;
                ShortVector v = broadcast(x, i);
                a0 = wa.mul(v).add(a0); b0 = wb.mul(v).add(b0); c0 = wc.mul(v).add(c0);
                v = broadcast(x, i + h);
                a1 = wa.mul(v).add(a1); b1 = wb.mul(v).add(b1); c1 = wc.mul(v).add(c1);
                v = broadcast(x, i + 2 * h);
                a2 = wa.mul(v).add(a2); b2 = wb.mul(v).add(b2); c2 = wc.mul(v).add(c2);
                v = broadcast(x, i + 3 * h);
                a3 = wa.mul(v).add(a3); b3 = wb.mul(v).add(b3); c3 = wc.mul(v).add(c3);
            }
        }
        int p = 2 * P;
        a0.intoArray(u, u0); b0.intoArray(u, u0 + p); c0.intoArray(u, u0 + 2 * p);
        a1.intoArray(u, u0 + 3 * p); b1.intoArray(u, u0 + 4 * p); c1.intoArray(u, u0 + 5 * p);
        a2.intoArray(u, u0 + 6 * p); b2.intoArray(u, u0 + 7 * p); c2.intoArray(u, u0 + 8 * p);
        a3.intoArray(u, u0 + 9 * p); b3.intoArray(u, u0 + 10 * p); c3.intoArray(u, u0 + 11 * p);
    }

    /**
     * The block sums in {@code u[(3j + i)·2P ..]} of sequences {@code s + j} ({@code j < seqs}) and panels {@code i <
     * panels}, into the accumulators {@code t[o + j·stride + i·P ..]}, with the panels' scales at
     * {@code d[di + i·step ..]}.
     */
    private void finish(short[] u, int panels, float[] d, int di, int step, QuantizedActivations a, int s, int seqs,
                        int blk, float[] t, int o, int stride) {
        float[] scales = a.scales;
        int[] offsets = a.offsets;
        for (int i = 0; i < panels; i++) {
            FloatVector dw = FloatVector.fromArray(F, d, di + i * step);
            for (int j = 0; j < seqs; j++) {
                int q = (s + j) * blocks + blk, at = o + j * stride + i * P;
                FloatVector sigma = sigma(ShortVector.fromArray(SHORTS, u, (3 * j + i) * 2 * P), offsets[q]);
                sigma.fma(dw.mul(scales[q]), FloatVector.fromArray(F, t, at)).intoArray(t, at);
            }
        }
    }

    /** {@link #tile3x8} for one panel. */
    @Override
    void tile1x8(int g, float[] d, int d0, QuantizedActivations a, int s, float[] t, int o, int stride) {
        tile1(g, d, d0, a, s, 8, t, o, stride);
    }

    /** {@link #tile3x4} for one panel. */
    @Override
    void tile1x4(int g, float[] d, int d0, QuantizedActivations a, int s, float[] t, int o, int stride) {
        tile1(g, d, d0, a, s, 4, t, o, stride);
    }

    /** Panel {@code g} × sequences {@code s .. s + seqs - 1} ({@code seqs} 4 or 8), in halves of 4 sequences. */
    private void tile1(int g, float[] d, int d0, QuantizedActivations a, int s, int seqs, float[] t, int o, int stride) {
        short[] u = SUMS.get();
        zero(t, o, stride, 1, seqs);
        int h = cols / 2;
        for (int blk = 0; blk < blocks; blk++) {
            long pa = at(g, blk);
            int i = s * h + blk * PAIRS;
            for (int half = 0; half < seqs; half += 4) sums1x4(pa, a.pairs, i + half * h, h, u, half * 6 * P);
            finish(u, 1, d, d0 + blk * P, 0, a, s, seqs, blk, t, o, stride);
        }
    }

    /** {@link #sums3x4} for one panel: its 4 sums into {@code u[u0 + 3j·2P ..]}. */
    private void sums1x4(long pa, int[] x, int i0, int h, short[] u, int u0) {
        MemorySegment seg = panels;
        ShortVector z = ShortVector.zero(SHORTS);
        ShortVector a0 = z, a1 = z, a2 = z, a3 = z;
        for (int w = 0; w < 4; w++) {
            IntVector qa = word(seg, pa + (long) w * WORD);
            for (int c = 0; c < 4; c++) {
                ShortVector wa = pair(qa, c);
                int i = i0 + 4 * w + c;
                a0 = wa.mul(broadcast(x, i)).add(a0);
                a1 = wa.mul(broadcast(x, i + h)).add(a1);
                a2 = wa.mul(broadcast(x, i + 2 * h)).add(a2);
                a3 = wa.mul(broadcast(x, i + 3 * h)).add(a3);
            }
        }
        int p = 6 * P;
        a0.intoArray(u, u0); a1.intoArray(u, u0 + p); a2.intoArray(u, u0 + 2 * p); a3.intoArray(u, u0 + 3 * p);
    }

    /** Four panels × one sequence: four chains of sums, each broadcast activation pair serving four panels. */
    @Override
    void tile4x1(int g, float[] d, QuantizedActivations a, int s, float[] t, int o) {
        MemorySegment seg = panels;
        int[] x = a.pairs;
        int step = blocks * P;
        FloatVector zf = FloatVector.zero(F);
        FloatVector e0 = zf, e1 = zf, e2 = zf, e3 = zf;
        ShortVector z = ShortVector.zero(SHORTS);
        for (int blk = 0; blk < blocks; blk++) {
            long p0 = at(g, blk), p1 = at(g + 1, blk), p2 = at(g + 2, blk), p3 = at(g + 3, blk);
            ShortVector a0 = z, a1 = z, a2 = z, a3 = z;
            for (int w = 0; w < 4; w++) {
                long off = (long) w * WORD;
                IntVector q0 = word(seg, p0 + off), q1 = word(seg, p1 + off), q2 = word(seg, p2 + off), q3 = word(seg, p3 + off);
                int i = s * (cols / 2) + blk * PAIRS + 4 * w;
                for (int c = 0; c < 4; c++) {
                    ShortVector v = broadcast(x, i + c);
                    a0 = pair(q0, c).mul(v).add(a0); a1 = pair(q1, c).mul(v).add(a1);
                    a2 = pair(q2, c).mul(v).add(a2); a3 = pair(q3, c).mul(v).add(a3);
                }
            }
            // The block's epilogue, {@link #sigma} written out: called here four times, the helper put the tile past
            // C2's inlining budget and it boxed every vector (11 GFLOP/s instead of 70).
            int q = s * blocks + blk, di = blk * P;
            int offset = a.offsets[q];
            float scale = a.scales[q];
            IntVector s0 = a0.reinterpretAsInts(), s1 = a1.reinterpretAsInts(), s2 = a2.reinterpretAsInts(), s3 = a3.reinterpretAsInts();
            s0 = s0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(s0.lanewise(VectorOperators.ASHR, 16)).sub(offset);
            s1 = s1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(s1.lanewise(VectorOperators.ASHR, 16)).sub(offset);
            s2 = s2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(s2.lanewise(VectorOperators.ASHR, 16)).sub(offset);
            s3 = s3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(s3.lanewise(VectorOperators.ASHR, 16)).sub(offset);
            e0 = ((FloatVector) s0.convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, d, di).mul(scale), e0);
            e1 = ((FloatVector) s1.convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, d, di + step).mul(scale), e1);
            e2 = ((FloatVector) s2.convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, d, di + 2 * step).mul(scale), e2);
            e3 = ((FloatVector) s3.convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, d, di + 3 * step).mul(scale), e3);
        }
        e0.intoArray(t, o);
        e1.intoArray(t, o + P);
        e2.intoArray(t, o + 2 * P);
        e3.intoArray(t, o + 3 * P);
    }

    /** One panel × one sequence: {@link #tile4x1} for one panel. */
    @Override
    void tile1x1(int g, float[] d, int d0, QuantizedActivations a, int s, float[] t, int o) {
        MemorySegment seg = panels;
        int[] x = a.pairs;
        FloatVector e = FloatVector.zero(F);
        ShortVector z = ShortVector.zero(SHORTS);
        for (int blk = 0; blk < blocks; blk++) {
            long p0 = at(g, blk);
            ShortVector acc = z;
            for (int w = 0; w < 4; w++) {
                IntVector q = word(seg, p0 + (long) w * WORD);
                int i = s * (cols / 2) + blk * PAIRS + 4 * w;
                for (int c = 0; c < 4; c++) acc = pair(q, c).mul(broadcast(x, i + c)).add(acc);
            }
            int q = s * blocks + blk;
            e = sigma(acc, a.offsets[q]).fma(FloatVector.fromArray(F, d, d0 + blk * P).mul(a.scales[q]), e);
        }
        e.intoArray(t, o);
    }
}
