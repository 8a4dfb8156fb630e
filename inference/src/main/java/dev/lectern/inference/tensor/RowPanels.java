package dev.lectern.inference.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static dev.lectern.inference.tensor.Vectors.F;

/**
 * A matrix of 32-column blocks that each open with a half-precision scale (Q8_0, Q4_0), repacked for the
 * batch-invariant product: panels of {@link #P} rows (one row per float lane), stored column by column, so that one
 * vector load gives column {@code k} of {@code P} rows. For {@code N} panels and {@code B} blocks per row, two
 * planes:
 * <pre>
 *   scales: N × B × P half-precision values   d[panel][block][lane]
 *   codes:  N × B × (code bytes per block) × P q[panel][block][byte][lane]
 * </pre>
 * rows past the end of the matrix are zero. The scales have a plane of their own because a product reads them in a
 * pass of their own ahead of the codes ({@link #scales}), which then are one sequential stream the hardware
 * prefetcher follows (interleaved with the codes, one line in nine, that pass stalled on memory: 11 % of a batch-8
 * step). How a block's codes are laid out, and the arithmetic, belong to the type ({@link Q8_0Panels},
 * {@link Q4_0Panels}); this class holds the layout and the walk over panels, row ranges and sequences.
 *
 * <p><b>Why this layout.</b> In the row-major layout every activation vector met one weight vector, and a batch of
 * 8 was bound by loads and by the copy of the weights out of the mapped file into a staging buffer (a quarter of
 * the step), since Java has no prefetch instruction to overlap that copy with arithmetic. Here an activation value
 * is broadcast once and serves {@code P} rows of up to four panels, a converted weight vector serves 8 sequences,
 * and the weights are read once, in address order, straight from memory: a stream the hardware prefetcher runs
 * ahead of while the FMAs work, from memory mapped with huge pages. llama.cpp repacks its CPU weights into
 * interleaved layouts for the same reason.
 *
 * <p><b>Activations.</b> A type's tiles read the activation rows in a form of their own, {@code A}: Q8_0's as the
 * floats they are, Q4_0's rounded to 8-bit integers per block ({@link QuantizedActivations}). The walk asks the
 * type for them once per product ({@link #activations}, {@link #padded}) and hands the tiles sequence indices.
 *
 * <p><b>Invariance.</b> Each type's tiles perform one fixed sequence of operations per output, whatever the tile
 * shape, the batch or the row range, so a sequence gets the same bits alone and in any batch.
 *
 * <p>The panels are a copy of the weights ({@link AnonymousMemory}, freed with this object): the row-major
 * original stays mapped for everything else (dequantization, prefill, the fused {@code dot}).
 */
abstract class RowPanels<A> {

    /** Rows per panel: the float lanes. */
    static final int P = F.length();
    /** Columns per block. */
    static final int BLOCK = 32;
    private static final int SCALES = 2 * P;
    /**
     * Bytes past the last panel that a code load may read: with 4 lanes a load is still 8 bytes (the smallest byte
     * vector), of which the kernels use the first 4.
     */
    private static final int TAIL = Vectors.CHUNK - P;
    private static final ValueLayout.OfShort LE_HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Writes the codes of one row-major block (its bytes from {@code in[at]}, scale first) for one lane. */
    @FunctionalInterface
    interface CodePacker {
        /** Into the panel's codes of this block, which start at {@code out[o]}, those of row {@code lane}. */
        void pack(byte[] in, int at, byte[] out, int o, int lane);
    }

    /** The panels: native memory that only this object holds, freed with it ({@link AnonymousMemory}). */
    final MemorySegment panels;
    final int rows, cols, blocks;
    /** Code bytes of one panel's block, of one panel, and where the code plane starts. */
    private final int blockCodes;
    private final long panelCodes, codesStart;

    /**
     * Repacks the row-major blocks ({@code blockBytes} each: a 2-byte scale, then codes) of a {@code rows × cols}
     * matrix; {@code codeBytes} per block and lane go to the code plane as {@code packer} writes them.
     */
    RowPanels(MemorySegment rowMajor, int rows, int cols, int blockBytes, int codeBytes, CodePacker packer) {
        this.rows = rows;
        this.cols = cols;
        this.blocks = cols / BLOCK;
        long panelCount = (rows + P - 1) / P;
        this.blockCodes = codeBytes * P;
        this.panelCodes = (long) blocks * blockCodes;
        this.codesStart = panelCount * blocks * SCALES;
        this.panels = AnonymousMemory.allocate(codesStart + panelCount * panelCodes + TAIL, this);
        fill(rowMajor, blockBytes, packer);
    }

    private void fill(MemorySegment rowMajor, int blockBytes, CodePacker packer) {
        int panelCount = (rows + P - 1) / P, rowBytes = blocks * blockBytes, scales = blocks * SCALES;
        byte[] in = new byte[P * rowBytes], out = new byte[scales + (int) panelCodes];
        for (int g = 0; g < panelCount; g++) {
            int lanes = Math.min(P, rows - g * P);
            MemorySegment.copy(rowMajor, ValueLayout.JAVA_BYTE, (long) g * P * rowBytes, in, 0, lanes * rowBytes);
            if (lanes < P) java.util.Arrays.fill(in, lanes * rowBytes, in.length, (byte) 0);
            for (int b = 0; b < blocks; b++) {
                for (int lane = 0; lane < P; lane++) {
                    int i = lane * rowBytes + b * blockBytes, d = b * SCALES + 2 * lane;
                    out[d] = in[i];
                    out[d + 1] = in[i + 1];
                    packer.pack(in, i, out, scales + b * blockCodes, lane);
                }
            }
            // out holds the panel's scales, then its codes: each goes to its plane.
            MemorySegment.copy(out, 0, panels, ValueLayout.JAVA_BYTE, (long) g * scales, scales);
            MemorySegment.copy(out, scales, panels, ValueLayout.JAVA_BYTE, codesStart + g * panelCodes, (int) panelCodes);
        }
    }

    /** Per thread: one tile's outputs, {@code [sequence][panel][lane]}, before they are clipped to the row range. */
    private static final ThreadLocal<float[]> TILE_OUT = ThreadLocal.withInitial(() -> new float[8 * 4 * P]);
    /** Per thread: the scales of the panels in hand as floats, {@code [panel][block][lane]}. */
    private static final ThreadLocal<float[][]> SCALES_OUT = ThreadLocal.withInitial(() -> new float[1][0]);
    /**
     * {@code out[outOff + s·rows + r]} for activation rows {@code s < batch} (at {@code x[xOff + s·cols]}) and
     * weight rows {@code [rowStart, rowEnd)}. Sequences go through in groups of 8 against 3 panels at a time; of a
     * last 4 to {@link #quartetsUpTo}, 4 as a group of 4 and the rest one by one; a larger last 4 to 7 as a group
     * of 8 padded with zero rows (the padding's outputs are dropped: half the arithmetic wasted at 4, still
     * twice the throughput of one by one); the rest one by one against 4 panels at a time (3 when groups set the
     * pace), the weights of those panels still in cache from the groups.
     */
    final void product(float[] x, int xOff, int batch, float[] out, int outOff, int rowStart, int rowEnd) {
        float[] t = TILE_OUT.get();
        float[][] holder = SCALES_OUT.get();
        if (holder[0].length < 4 * blocks * P) holder[0] = new float[4 * blocks * P];
        float[] d = holder[0];
        int octets = batch / 8, rest = batch % 8;
        boolean quartet = rest >= 4 && rest <= quartetsUpTo();
        int padded = rest >= 4 && !quartet ? rest : 0, singles = 8 * octets + (quartet ? 4 : padded);
        A rowsOfX = activations(x, xOff, batch);
        A tail = padded > 0 ? padded(x, xOff + 8 * octets * cols, padded) : null;
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
                octet(g, n, d, rowsOfX, s, dst, o, stride);
                if (!whole) clip(t, n, 8, g, s, out, outOff, rowStart, rowEnd);
            }
            if (quartet) {
                quartet(g, n, d, rowsOfX, 8 * octets, t, 0, 4 * P);
                clip(t, n, 4, g, 8 * octets, out, outOff, rowStart, rowEnd);
            }
            if (padded > 0) {
                octet(g, n, d, tail, 0, t, 0, 4 * P);
                clip(t, n, padded, g, 8 * octets, out, outOff, rowStart, rowEnd);
            }
            for (int s = singles; s < batch; s++) {
                int o = whole ? outOff + s * rows + g * P : 0;
                if (n == 4) tile4x1(g, d, rowsOfX, s, dst, o);
                else for (int i = 0; i < n; i++) tile1x1(g + i, d, i * blocks * P, rowsOfX, s, dst, o + i * P);
                if (!whole) clip(t, n, 1, g, s, out, outOff, rowStart, rowEnd);
            }
        }
        java.lang.ref.Reference.reachabilityFence(this);
    }

    /** The {@code batch} activation rows at {@code x[xOff + s·cols]} as this type's tiles read them. */
    abstract A activations(float[] x, int xOff, int batch);

    /**
     * The {@code count} (4 to 7) activation rows at {@code x[from]} followed by zero rows, 8 rows in all, as this
     * type's tiles read them; held per thread, apart from what {@link #activations} returned.
     */
    abstract A padded(float[] x, int from, int count);

    /**
     * Panels {@code g, g+1, g+2} × the 8 activation rows {@code s .. s+7} of {@code a}, with the panels' scales as
     * floats at {@code d[(i·blocks + block)·P ..]}: sequence {@code j}, panel {@code i} into
     * {@code t[o + j·stride + i·P ..]}.
     */
    abstract void tile3x8(int g, float[] d, A a, int s, float[] t, int o, int stride);

    /** Panel {@code g} (scales at {@code d[d0 + block·P]}) × sequences {@code s .. s+7} into {@code t[o + j·stride]}. */
    abstract void tile1x8(int g, float[] d, int d0, A a, int s, float[] t, int o, int stride);

    /** Panels {@code g .. g+3} × sequence {@code s} into {@code t[o + i·P]}. */
    abstract void tile4x1(int g, float[] d, A a, int s, float[] t, int o);

    /** Panel {@code g} (scales at {@code d[d0 + block·P]}) × sequence {@code s} into {@code t[o ..]}. */
    abstract void tile1x1(int g, float[] d, int d0, A a, int s, float[] t, int o);

    /**
     * The largest last part of a batch (4 to 7 sequences) that runs as a group of 4 ({@link #tile3x4},
     * {@link #tile1x4}) followed by single sequences rather than as a group of 8 padded with zero rows: where
     * the type's tiles make that cheaper. 0 (the default): the type has no tiles of 4.
     */
    int quartetsUpTo() {
        return 0;
    }

    /** {@link #tile3x8} for sequences {@code s .. s+3}; only if {@link #quartetsUpTo} is not 0. */
    void tile3x4(int g, float[] d, A a, int s, float[] t, int o, int stride) {
        throw new UnsupportedOperationException("no 4-sequence tiles");
    }

    /** {@link #tile1x8} for sequences {@code s .. s+3}; only if {@link #quartetsUpTo} is not 0. */
    void tile1x4(int g, float[] d, int d0, A a, int s, float[] t, int o, int stride) {
        throw new UnsupportedOperationException("no 4-sequence tiles");
    }

    /** Panels {@code [g, g + n)} × sequences {@code s .. s+3} of {@code a}, into {@code dst[o + j·stride + i·P]}. */
    private void quartet(int g, int n, float[] d, A a, int s, float[] dst, int o, int stride) {
        if (n == 3) tile3x4(g, d, a, s, dst, o, stride);
        else for (int i = 0; i < n; i++) tile1x4(g + i, d, i * blocks * P, a, s, dst, o + i * P, stride);
    }

    /** Panels {@code [g, g + n)} × sequences {@code s .. s+7} of {@code a}, into {@code dst[o + j·stride + i·P]}. */
    private void octet(int g, int n, float[] d, A a, int s, float[] dst, int o, int stride) {
        if (n == 3) tile3x8(g, d, a, s, dst, o, stride);
        else for (int i = 0; i < n; i++) tile1x8(g + i, d, i * blocks * P, a, s, dst, o + i * P, stride);
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
    final long at(int panel, int block) {
        return codesStart + panel * panelCodes + (long) block * blockCodes;
    }

    /**
     * The scales of panels {@code [g, g + n)} as floats into {@code d[(i·blocks + block)·P ..]}, before their
     * kernel runs: converted in the kernel's loop, the half-precision widening made that method too large for C2
     * to inline the vector operations, and every vector was boxed (a batch of one ran at 0.45 GFLOP/s).
     *
     * <p>A plain loop on purpose: C2 vectorizes it into the CPU's half-to-float conversion (F16C's
     * {@code vcvtph2ps}), which the Vector API does not offer. Widening the halves with integer vector operations
     * instead took 11 % of a single-sequence decode step.
     */
    private void scales(int g, int n, float[] d) {
        MemorySegment seg = panels;
        long from = (long) g * blocks * SCALES;
        int count = n * blocks * P;
        for (int i = 0; i < count; i++) d[i] = Float.float16ToFloat(seg.get(LE_HALF, from + 2L * i));
    }
}
