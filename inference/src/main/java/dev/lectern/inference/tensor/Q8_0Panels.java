package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static dev.lectern.inference.tensor.Vectors.F;

/**
 * A Q8_0 matrix repacked for its batch-invariant product: panels of {@link #P} rows (one row per float lane),
 * stored column by column, so that one vector load gives column {@code k} of {@code P} rows. For a matrix of
 * {@code N} panels and {@code B} blocks per row, two planes:
 * <pre>
 *   scales: N × B × P half-precision values  d[panel][block][lane]
 *   codes:  N × B × 32 × P signed bytes      q[panel][block][k][lane]   (k = 0 .. 31)
 * </pre>
 * the same bytes as the rows' blocks, reordered; rows past the end of the matrix are zero. The scales have a plane
 * of their own because a product reads them in a pass of their own ahead of the codes, which then is one
 * sequential stream the hardware prefetcher follows (interleaved with the codes, one line in nine, that pass
 * stalled on memory: 11 % of a batch-8 step).
 *
 * <p><b>The arithmetic.</b> Output {@code (s, r)} is lane {@code r % P} of one accumulator vector, updated for
 * every column in order: {@code acc = fma(q[r][k]·d[r][k/32], x[s][k], acc)}, starting from 0, with no final
 * reduction. {@code q·d} is exact in float (at most 19 significant bits), so this is the naive sequential dot
 * product of the dequantized row with the activation row, each step rounded once. Every kernel below performs
 * exactly that sequence for each of its outputs, whatever the tile shape, the batch or the row range, so a
 * sequence gets the same bits alone and in any batch.
 *
 * <p><b>Why this layout.</b> In the row-major layout every activation vector met one weight vector, and each
 * converted weight vector served 8 activation loads: a batch of 8 was bound by loads and by the copy of the
 * weights out of the mapped file into a staging buffer (a quarter of the step), since Java has no prefetch
 * instruction to overlap that copy with arithmetic. Here an activation value is broadcast once and serves
 * {@code P} rows of up to three panels, a converted weight vector serves 8 sequences, and the weights are read
 * once, in address order, straight from memory, a stream the hardware prefetcher runs ahead of while the FMAs
 * work. On one core, a batch of 8 on an 8192 × 2048 matrix: 148 GFLOP/s against 75 for the staged row-major
 * kernel; a single sequence streams as fast as before. llama.cpp repacks its CPU weights into interleaved
 * layouts for the same reason.
 *
 * <p>The panels are a copy of the weights ({@link AnonymousMemory}, freed with this object): the row-major
 * original stays mapped for everything else (dequantization, prefill, the fused {@code dot}).
 */
final class Q8_0Panels {

    /** Rows per panel: the float lanes. */
    static final int P = F.length();
    /** Bytes per panel and block: P scales of 2 bytes and 32 × P codes. */
    static final int PANEL_BLOCK = 34 * P;
    private static final int SCALES = 2 * P, CODES = Q8_0Matrix.BLOCK * P;
    /**
     * Bytes past the last panel that a code load may read: with 4 lanes a load is still 8 bytes (the smallest byte
     * vector), of which only the first column's 4 are used.
     */
    private static final int TAIL = Vectors.CHUNK - P;
    private static final VectorSpecies<Short> HALVES = VectorSpecies.of(short.class, VectorShape.forBitSize(16 * P));
    private static final VectorSpecies<Integer> INTS = F.withLanes(int.class);

    /** The panels: native memory that only this object holds, freed with it ({@link AnonymousMemory}). */
    private final MemorySegment panels;
    private final int rows, cols, blocks;
    /** Bytes of one panel's codes, and where the code plane starts. */
    private final long panelCodes, codesStart;

    private Q8_0Panels(MemorySegment rowMajor, int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        this.blocks = cols / Q8_0Matrix.BLOCK;
        long panelCount = (rows + P - 1) / P;
        this.panelCodes = (long) blocks * CODES;
        this.codesStart = panelCount * blocks * SCALES;
        this.panels = AnonymousMemory.allocate(panelCount * blocks * PANEL_BLOCK + TAIL, this);
        fill(rowMajor);
    }

    /** Repacks the row-major Q8_0 blocks of a {@code rows × cols} matrix. */
    static Q8_0Panels repack(MemorySegment rowMajor, int rows, int cols) {
        return new Q8_0Panels(rowMajor, rows, cols);
    }

    private void fill(MemorySegment rowMajor) {
        int panelCount = (rows + P - 1) / P, rowBytes = blocks * Q8_0Matrix.BLOCK_BYTES, codes = blocks * SCALES;
        byte[] in = new byte[P * rowBytes], out = new byte[blocks * PANEL_BLOCK];
        for (int g = 0; g < panelCount; g++) {
            int lanes = Math.min(P, rows - g * P);
            MemorySegment.copy(rowMajor, ValueLayout.JAVA_BYTE, (long) g * P * rowBytes, in, 0, lanes * rowBytes);
            if (lanes < P) java.util.Arrays.fill(in, lanes * rowBytes, in.length, (byte) 0);
            for (int b = 0; b < blocks; b++) {
                for (int lane = 0; lane < P; lane++) {
                    int i = lane * rowBytes + b * Q8_0Matrix.BLOCK_BYTES, d = b * SCALES + 2 * lane, q = codes + b * CODES + lane;
                    out[d] = in[i];
                    out[d + 1] = in[i + 1];
                    for (int k = 0; k < Q8_0Matrix.BLOCK; k++) out[q + k * P] = in[i + 2 + k];
                }
            }
            // out holds the panel's scales, then its codes: each goes to its plane.
            MemorySegment.copy(out, 0, panels, ValueLayout.JAVA_BYTE, (long) g * codes, codes);
            MemorySegment.copy(out, codes, panels, ValueLayout.JAVA_BYTE, codesStart + g * panelCodes, (int) panelCodes);
        }
    }

    /** Per thread: one tile's outputs, {@code [sequence][panel][lane]}, before they are clipped to the row range. */
    private static final ThreadLocal<float[]> TILE_OUT = ThreadLocal.withInitial(() -> new float[8 * 4 * P]);
    /** Per thread: the scales of the panels in hand as floats, {@code [panel][block][lane]}. */
    private static final ThreadLocal<float[][]> SCALES_OUT = ThreadLocal.withInitial(() -> new float[1][0]);

    /** Per thread: the last 4 to 7 activation rows of a batch followed by zero rows, 8 rows in all. */
    private static final ThreadLocal<float[][]> PADDED = ThreadLocal.withInitial(() -> new float[1][0]);

    /**
     * {@code out[outOff + s·rows + r]} for activation rows {@code s < batch} (at {@code x[xOff + s·cols]}) and
     * weight rows {@code [rowStart, rowEnd)}. Sequences go through in groups of 8 against 3 panels at a time; a
     * last 4 to 7 as a group of 8 padded with zero rows (the padding's outputs are dropped: half the arithmetic
     * wasted at 4, still twice the throughput of one by one); the rest one by one against 4 panels at a time (3
     * when groups set the pace), the weights of those panels still in cache from the groups.
     */
    void product(float[] x, int xOff, int batch, float[] out, int outOff, int rowStart, int rowEnd) {
        float[] t = TILE_OUT.get();
        float[][] holder = SCALES_OUT.get();
        if (holder[0].length < 4 * blocks * P) holder[0] = new float[4 * blocks * P];
        float[] d = holder[0];
        int octets = batch / 8, padded = batch % 8 >= 4 ? batch % 8 : 0, singles = 8 * octets + padded;
        float[] x8 = padded > 0 ? pad(x, xOff + 8 * octets * cols, padded) : null;
        int first = rowStart / P, end = (rowEnd + P - 1) / P, span = batch >= 4 ? 3 : 4;
        for (int g = first; g < end; g += span) {
            int n = Math.min(span, end - g);
            scales(g, n, d);
            // Panels wholly in the range are stored straight into out; a partial one goes through t and is clipped.
            boolean whole = g * P >= rowStart && (g + n) * P <= rowEnd;
            float[] dst = whole ? out : t;
            int stride = whole ? rows : 4 * P;
            for (int s = 0; s < 8 * octets; s += 8) {
                int o = whole ? outOff + s * rows + g * P : 0;
                octet(g, n, d, x, xOff + s * cols, dst, o, stride);
                if (!whole) clip(t, n, 8, g, s, out, outOff, rowStart, rowEnd);
            }
            if (padded > 0) {
                octet(g, n, d, x8, 0, t, 0, 4 * P);
                clip(t, n, padded, g, 8 * octets, out, outOff, rowStart, rowEnd);
            }
            for (int s = singles; s < batch; s++) {
                int xs = xOff + s * cols, o = whole ? outOff + s * rows + g * P : 0;
                if (n == 4) tile4x1(g, d, x, xs, dst, o);
                else for (int i = 0; i < n; i++) tile1x1(g + i, d, i * blocks * P, x, xs, dst, o + i * P);
                if (!whole) clip(t, n, 1, g, s, out, outOff, rowStart, rowEnd);
            }
        }
        java.lang.ref.Reference.reachabilityFence(this);
    }

    /** Panels {@code [g, g + n)} × the 8 activation rows at {@code x[xs]}, into {@code dst[o + j·stride + i·P]}. */
    private void octet(int g, int n, float[] d, float[] x, int xs, float[] dst, int o, int stride) {
        if (n == 3) tile3x8(g, d, x, xs, dst, o, stride);
        else for (int i = 0; i < n; i++) tile1x8(g + i, d, i * blocks * P, x, xs, dst, o + i * P, stride);
    }

    /** The {@code count} activation rows at {@code x[from]} followed by zero rows, 8 rows in all (per thread). */
    private float[] pad(float[] x, int from, int count) {
        float[][] holder = PADDED.get();
        if (holder[0].length < 8 * cols) holder[0] = new float[8 * cols];
        float[] x8 = holder[0];
        System.arraycopy(x, from, x8, 0, count * cols);
        java.util.Arrays.fill(x8, count * cols, 8 * cols, 0f);
        return x8;
    }

    /** Copies the outputs of a tile held in {@code t[j·4P + i·P + lane]} that fall in the row range. */
    private void clip(float[] t, int panels, int seqs, int g, int s, float[] out, int outOff, int rowStart, int rowEnd) {
        for (int j = 0; j < seqs; j++) {
            int o = outOff + (s + j) * rows;
            for (int i = 0; i < panels; i++) {
                int r0 = (g + i) * P, from = Math.max(r0, rowStart), to = Math.min(r0 + P, rowEnd);
                int src = (4 * j + i) * P - r0;
                for (int r = from; r < to; r++) out[o + r] = t[src + r];
            }
        }
    }

    /** Where the codes of a panel's block start. */
    private long at(int panel, int block) {
        return codesStart + panel * panelCodes + (long) block * CODES;
    }

    /**
     * The scales of panels {@code [g, g + n)} as floats into {@code d[(i·blocks + block)·P ..]}, before their
     * kernel runs: converted in the kernel's loop, the half-precision widening made that method too large for C2
     * to inline the vector operations, and every vector was boxed (a batch of one ran at 0.45 GFLOP/s).
     */
    private void scales(int g, int n, float[] d) {
        for (int i = 0; i < n; i++) {
            for (int blk = 0; blk < blocks; blk++) {
                ShortVector h = ShortVector.fromMemorySegment(HALVES, panels, ((long) (g + i) * blocks + blk) * SCALES, ByteOrder.LITTLE_ENDIAN);
                BlockScales.halvesToFloats((IntVector) h.convertShape(VectorOperators.ZERO_EXTEND_S2I, INTS, 0))
                        .intoArray(d, (i * blocks + blk) * P);
            }
        }
    }

    /**
     * The first {@code P} codes of a load, dequantized: {@code q·d}, exact. (The part is a constant: a loop over
     * parts, even of one trip, left C2 without a constant at the conversion, and it boxed every vector.)
     */
    private static FloatVector weights(ByteVector codes, FloatVector d) {
        return Vectors.toFloats(codes, 0).mul(d);
    }

    /** Panels {@code g, g+1, g+2} × 8 sequences: 24 accumulators; each broadcast activation serves 3 panels. */
    private void tile3x8(int g, float[] d, float[] x, int xs, float[] t, int o, int stride) {
        MemorySegment seg = panels;
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
        // Sequence j, panel i at t[o + j·stride + i·P].
        int p = P;
        a0.intoArray(t, o); b0.intoArray(t, o + p); c0.intoArray(t, o + 2 * p);
        o += stride;
        a1.intoArray(t, o); b1.intoArray(t, o + p); c1.intoArray(t, o + 2 * p);
        o += stride;
        a2.intoArray(t, o); b2.intoArray(t, o + p); c2.intoArray(t, o + 2 * p);
        o += stride;
        a3.intoArray(t, o); b3.intoArray(t, o + p); c3.intoArray(t, o + 2 * p);
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
    private void tile1x8(int g, float[] d, int d0, float[] x, int xs, float[] t, int o, int stride) {
        MemorySegment seg = panels;
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
                a4 = wa.fma(FloatVector.broadcast(F, x[i + 4 * c]), a4);
                a5 = wa.fma(FloatVector.broadcast(F, x[i + 5 * c]), a5);
                a6 = wa.fma(FloatVector.broadcast(F, x[i + 6 * c]), a6);
                a7 = wa.fma(FloatVector.broadcast(F, x[i + 7 * c]), a7);
            }
        }
        a0.intoArray(t, o);
        a1.intoArray(t, o + stride);
        a2.intoArray(t, o + 2 * stride);
        a3.intoArray(t, o + 3 * stride);
        a4.intoArray(t, o + 4 * stride);
        a5.intoArray(t, o + 5 * stride);
        a6.intoArray(t, o + 6 * stride);
        a7.intoArray(t, o + 7 * stride);
    }

    /** Panels {@code g .. g+3} × one sequence: four independent accumulators, a stream of four panels. */
    private void tile4x1(int g, float[] d, float[] x, int xs, float[] t, int o) {
        MemorySegment seg = panels;
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
    private void tile1x1(int g, float[] d, int d0, float[] x, int xs, float[] t, int o) {
        MemorySegment seg = panels;
        FloatVector a = FloatVector.zero(F);
        for (int blk = 0; blk < blocks; blk++) {
            long p0 = at(g, blk);
            FloatVector scale = FloatVector.fromArray(F, d, d0 + blk * P);
            for (int k = 0; k < Q8_0Matrix.BLOCK; k++) {
                ByteVector q = Vectors.load(seg, p0 + k * P);
                a = weights(q, scale).fma(FloatVector.broadcast(F, x[xs + blk * Q8_0Matrix.BLOCK + k]), a);
            }
        }
        a.intoArray(t, o);
    }
}
