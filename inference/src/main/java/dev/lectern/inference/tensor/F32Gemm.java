package dev.lectern.inference.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The register-tiled F32 GEMM that every batched product ({@code batch > 1}) ends in.
 *
 * <p>Vector lanes run along the <b>batch</b>: the activations are packed once per call, transposed in panels of
 * {@link #NB} rows ({@code xp[k * NB + i] = x[i][k]}, zero-padded), so one vector load at step {@code k} holds
 * column {@code k} of NB activation rows. Weight rows are dequantized (once per call, in groups of
 * {@link #GROUP}) into a per-thread buffer in their natural row-major order, and their values are broadcast. The
 * micro-kernel computes 8 weight rows × NB activation rows as outer products: per {@code k}, two activation
 * vectors, eight broadcast weights, sixteen FMAs into sixteen accumulators (19 vector registers of AVX-512's 32).
 * No horizontal reductions and no transposition of weights are needed. F32 weights built with
 * {@link Matrix#ofColumns} take {@link F32PanelMatrix}'s kernel instead (no packing, no copy-out transposition).
 *
 * <p>Summation order: every output is {@code fma(x_k, w_k, acc)} for {@code k = 0, 1, ...} from zero, one chain,
 * in whichever lane, tile or thread it lands. The result is therefore bit-identical for any thread count, any batch
 * size and any grouping of rows.
 */
final class F32Gemm {

    static final VectorSpecies<Float> S = Vectors.F;
    static final int L = S.length();
    /** Activation rows per packed panel (two vectors; one for batches that fit in one, see {@link #panelWidth}). */
    static final int NB = 2 * L;
    /** Weight rows dequantized together, reused across all activation panels while both stay in L2. */
    static final int GROUP = 16;
    /** Weight rows per register tile (a divisor of {@link #GROUP}). */
    static final int TILE_ROWS = 8;

    private F32Gemm() {}

    /** Per-thread buffers, grown on demand and then reused (no allocation in steady state). */
    static final class Scratch {
        float[] weights = new float[0];
        /** One register tile: 8 × NB here, 8 activation rows × {@link F32PanelMatrix#P} there (the same size). */
        float[] tile = new float[TILE_ROWS * NB];
        float[] packedX = new float[0];
        /** Sum of the bytes {@link #touchLines} read (never used: it keeps the loads observable). */
        long sink;
        private final int[] rowStarts = new int[L];
        private int rowStartsCols = -1;

        /** {@code [0, cols, 2·cols, …]}: the gather offsets of L consecutive rows of {@code cols} values. */
        int[] rowStarts(int cols) {
            if (rowStartsCols != cols) {
                for (int i = 0; i < L; i++) rowStarts[i] = i * cols;
                rowStartsCols = cols;
            }
            return rowStarts;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static Scratch scratch() {
        return SCRATCH.get();
    }

    /**
     * Packs {@code batch} activation rows of {@code cols} values into panels of {@link #NB} rows, column-major
     * within a panel, in the calling thread's buffer (read, not written, by the workers). The threads of
     * {@code parallel} pack whole panels each, so that packing a prompt does not leave the other threads idle.
     */
    static float[] packActivations(float[] x, int xOff, int batch, int cols, Parallel parallel) {
        Scratch s = scratch();
        int nbw = panelWidth(batch);
        int panels = (batch + nbw - 1) / nbw;
        int size = panels * nbw * cols;
        if (s.packedX.length < size) s.packedX = new float[size];
        float[] xp = s.packedX;
        parallel.forRange(panels, 1, (first, end) -> {
            for (int p = first; p < end; p++) packPanel(x, xOff, batch, cols, nbw, p, xp);
        });
        return xp;
    }

    private static void packPanel(float[] x, int xOff, int batch, int cols, int nbw, int p, float[] xp) {
        int base = p * nbw * cols;
        int n = Math.min(nbw, batch - p * nbw);
        // Column by column, so that the writes are sequential (the reads are n sequential streams).
        int src = xOff + p * nbw * cols;
        if (n == nbw) {
            // A full panel: each vector of the packed column is one gather of L rows' value at column k.
            int[] rowStarts = scratch().rowStarts(cols);
            for (int k = 0, d = base; k < cols; k++, d += nbw) {
                for (int i = 0; i < nbw; i += L) {
                    FloatVector.fromArray(S, x, src + i * cols + k, rowStarts, 0).intoArray(xp, d + i);
                }
            }
            return;
        }
        for (int k = 0, d = base; k < cols; k++, d += nbw) {
            for (int i = 0; i < n; i++) xp[d + i] = x[src + i * cols + k];
            for (int i = n; i < nbw; i++) xp[d + i] = 0f;
        }
    }

    /**
     * Activation rows per panel: {@link #NB} (two vectors), or one vector ({@link #L}) when the whole batch fits in
     * one, so that small batches (short prompts, a few decoding sequences) do not compute mostly padding.
     */
    static int panelWidth(int batch) {
        return batch <= L ? L : NB;
    }

    /** {@code out[outOff + b * rows + r] = W[r] · x[b]} for {@code r} in {@code [rowStart, rowEnd)}, x packed. */
    static void rows(Matrix m, float[] xp, int batch, float[] out, int outOff, int rowStart, int rowEnd) {
        int cols = m.cols(), rows = m.rows();
        Scratch s = scratch();
        if (s.weights.length < GROUP * cols) s.weights = new float[GROUP * cols];
        float[] w = s.weights, tile = s.tile;
        int nbw = panelWidth(batch);
        int panels = (batch + nbw - 1) / nbw;
        for (int g = rowStart; g < rowEnd; g += GROUP) {
            int n = Math.min(GROUP, rowEnd - g);
            s.sink += touchLines(m.data, g * m.rowBytes, (g + n) * m.rowBytes);
            for (int i = 0; i < n; i++) m.dequantizeRow(g + i, w, i * cols);
            // A last tile of fewer than TILE_ROWS rows computes zero rows in the rest (their outputs are dropped).
            java.util.Arrays.fill(w, n * cols, (n + TILE_ROWS - 1) / TILE_ROWS * TILE_ROWS * cols, 0f);
            for (int p = 0; p < panels; p++) {
                int xBase = p * nbw * cols, nb = Math.min(nbw, batch - p * nbw);
                int o = outOff + p * nbw * rows + g;
                for (int i = 0; i < n; i += TILE_ROWS) {
                    if (nbw == NB) {
                        tile8(w, i * cols, cols, xp, xBase, tile);
                    } else {
                        narrow8(w, i * cols, cols, xp, xBase, tile);
                    }
                    scatter(tile, Math.min(TILE_ROWS, n - i), nbw, nb, out, o + i, rows);
                }
            }
        }
    }

    /**
     * Reads one byte of every cache line of {@code seg[from, to)} (a group's weight rows, about to be dequantized), and
     * returns their sum so that the JIT keeps the loads. Independent loads to consecutive lines keep many misses in
     * flight, so the group arrives from memory at close to the machine's read bandwidth; the dequantization loop
     * alone, with its conversions between the loads, fetched mapped weights at about a third of that (prefill of
     * Llama-3.2-1B Q8_0, 64 tokens, 1 thread: dequantization fell from 17.5 % of the time to 7.3 % plus 5.6 % here).
     */
    private static long touchLines(MemorySegment seg, long from, long to) {
        long sum = 0;
        for (long offset = from; offset < to; offset += 64) sum += seg.get(ValueLayout.JAVA_BYTE, offset);
        return sum;
    }

    /**
     * 8 weight rows × NB activation rows: per {@code k}, two activation vectors and eight broadcast weights feed 16
     * FMAs into 16 accumulators (19 vector registers: AVX-512 has 32). Eight rows per tile, not four, so each packed
     * activation vector loaded (from L2 when the panel outgrows L1) serves eight FMAs.
     */
    private static void tile8(float[] w, int w0, int cols, float[] xp, int xBase, float[] tile) {
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
        FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S);
        FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
        FloatVector a40 = FloatVector.zero(S), a41 = FloatVector.zero(S);
        FloatVector a50 = FloatVector.zero(S), a51 = FloatVector.zero(S);
        FloatVector a60 = FloatVector.zero(S), a61 = FloatVector.zero(S);
        FloatVector a70 = FloatVector.zero(S), a71 = FloatVector.zero(S);
        int w1 = w0 + cols, w2 = w1 + cols, w3 = w2 + cols, w4 = w3 + cols, w5 = w4 + cols, w6 = w5 + cols, w7 = w6 + cols;
        for (int k = 0, p = xBase; k < cols; k++, p += NB) {
            FloatVector x0 = FloatVector.fromArray(S, xp, p);
            FloatVector x1 = FloatVector.fromArray(S, xp, p + L);
            FloatVector wb = FloatVector.broadcast(S, w[w0 + k]);
            a00 = x0.fma(wb, a00);
            a01 = x1.fma(wb, a01);
            wb = FloatVector.broadcast(S, w[w1 + k]);
            a10 = x0.fma(wb, a10);
            a11 = x1.fma(wb, a11);
            wb = FloatVector.broadcast(S, w[w2 + k]);
            a20 = x0.fma(wb, a20);
            a21 = x1.fma(wb, a21);
            wb = FloatVector.broadcast(S, w[w3 + k]);
            a30 = x0.fma(wb, a30);
            a31 = x1.fma(wb, a31);
            wb = FloatVector.broadcast(S, w[w4 + k]);
            a40 = x0.fma(wb, a40);
            a41 = x1.fma(wb, a41);
            wb = FloatVector.broadcast(S, w[w5 + k]);
            a50 = x0.fma(wb, a50);
            a51 = x1.fma(wb, a51);
            wb = FloatVector.broadcast(S, w[w6 + k]);
            a60 = x0.fma(wb, a60);
            a61 = x1.fma(wb, a61);
            wb = FloatVector.broadcast(S, w[w7 + k]);
            a70 = x0.fma(wb, a70);
            a71 = x1.fma(wb, a71);
        }
        a00.intoArray(tile, 0);
        a01.intoArray(tile, L);
        a10.intoArray(tile, NB);
        a11.intoArray(tile, NB + L);
        a20.intoArray(tile, 2 * NB);
        a21.intoArray(tile, 2 * NB + L);
        a30.intoArray(tile, 3 * NB);
        a31.intoArray(tile, 3 * NB + L);
        a40.intoArray(tile, 4 * NB);
        a41.intoArray(tile, 4 * NB + L);
        a50.intoArray(tile, 5 * NB);
        a51.intoArray(tile, 5 * NB + L);
        a60.intoArray(tile, 6 * NB);
        a61.intoArray(tile, 6 * NB + L);
        a70.intoArray(tile, 7 * NB);
        a71.intoArray(tile, 7 * NB + L);
    }

    /** Narrow panels (one vector of activation rows): 8 weight rows per tile, the same per-output FMA chain. */
    private static void narrow8(float[] w, int w0, int cols, float[] xp, int xBase, float[] tile) {
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
        FloatVector a4 = FloatVector.zero(S), a5 = FloatVector.zero(S), a6 = FloatVector.zero(S), a7 = FloatVector.zero(S);
        for (int k = 0, p = xBase; k < cols; k++, p += L) {
            FloatVector xv = FloatVector.fromArray(S, xp, p);
            a0 = xv.fma(FloatVector.broadcast(S, w[w0 + k]), a0);
            a1 = xv.fma(FloatVector.broadcast(S, w[w0 + cols + k]), a1);
            a2 = xv.fma(FloatVector.broadcast(S, w[w0 + 2 * cols + k]), a2);
            a3 = xv.fma(FloatVector.broadcast(S, w[w0 + 3 * cols + k]), a3);
            a4 = xv.fma(FloatVector.broadcast(S, w[w0 + 4 * cols + k]), a4);
            a5 = xv.fma(FloatVector.broadcast(S, w[w0 + 5 * cols + k]), a5);
            a6 = xv.fma(FloatVector.broadcast(S, w[w0 + 6 * cols + k]), a6);
            a7 = xv.fma(FloatVector.broadcast(S, w[w0 + 7 * cols + k]), a7);
        }
        a0.intoArray(tile, 0);
        a1.intoArray(tile, L);
        a2.intoArray(tile, 2 * L);
        a3.intoArray(tile, 3 * L);
        a4.intoArray(tile, 4 * L);
        a5.intoArray(tile, 5 * L);
        a6.intoArray(tile, 6 * L);
        a7.intoArray(tile, 7 * L);
    }

    /** {@code tile[i * width + b]} (weight row i, activation row b) to {@code out[o + b * rows + i]}. */
    private static void scatter(float[] tile, int nRows, int width, int nb, float[] out, int o, int rows) {
        for (int b = 0; b < nb; b++) {
            for (int i = 0; i < nRows; i++) out[o + b * rows + i] = tile[i * width + b];
        }
    }
}
