package dev.lectern.inference.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

/**
 * F32 weights held for batched products: in panels of {@link #P} consecutive rows (two vectors), each panel stored
 * column by column ({@code panels[(p·cols + k)·P + i] = W[p·P + i][k]}, the last panel zero-padded). This is the
 * layout ONNX's {@code [in, out]} MatMul weights already have, cut into strips, so building it is a copy.
 *
 * <p>Vector lanes run along the weight <b>rows</b>: per column {@code k}, two contiguous vectors of the panel and
 * one broadcast value of each of 8 activation rows feed 16 FMAs. Nothing is packed or dequantized per call
 * (activations are read in place, the panel is the weight itself), and each accumulator is a run of 16 outputs of
 * one activation row, stored as one vector with the bias added: no transposition of the result either.
 *
 * <p>Every output is {@code fma(x_k, w_k, acc)} for {@code k = 0, 1, ...} from zero, one chain, then {@code + bias},
 * the same arithmetic as {@link F32Gemm} followed by a bias add, so the result is bit-identical to the row-major
 * F32 matrix of the same values for any batch, tile or thread count. Single rows ({@link #dequantizeRow}, and
 * {@link #dot} through it) are gathered from the panels: correct, not fast; batched products are what this
 * layout is for.
 */
final class F32PanelMatrix extends Matrix {

    private static final VectorSpecies<Float> S = Vectors.F;
    private static final int L = S.length();
    /** Rows per panel: two vectors. Divides {@link Matrix#ROW_GRAIN}, so thread ranges cover whole panels. */
    static final int P = 2 * L;
    /** Activation rows per tile. */
    private static final int T = 8;

    private final float[] panels;

    private F32PanelMatrix(float[] panels, int rows, int cols) {
        super(GgmlType.F32, MemorySegment.ofArray(panels).asSlice(0, 4L * rows * cols), rows, cols);
        this.panels = panels;
    }

    /** From {@code columns[k * rows + r] = W[r][k]} (a {@code cols × rows} row-major array, e.g. ONNX [in, out]). */
    static F32PanelMatrix fromColumns(float[] columns, int rows, int cols) {
        if ((long) rows * cols != columns.length) {
            throw new IllegalArgumentException("a " + rows + " x " + cols + " matrix needs " + (long) rows * cols
                    + " values, got " + columns.length);
        }
        int panelCount = (rows + P - 1) / P;
        float[] panels = new float[Math.multiplyExact(panelCount * P, cols)];
        for (int p = 0; p < panelCount; p++) {
            int r0 = p * P, live = Math.min(P, rows - r0);
            for (int k = 0; k < cols; k++) {
                System.arraycopy(columns, k * rows + r0, panels, (p * cols + k) * P, live);
            }
        }
        return new F32PanelMatrix(panels, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        int p = row / P, i = row % P;
        for (int k = 0, from = p * cols * P + i; k < cols; k++, from += P) {
            dst[dstOff + k] = panels[from];
        }
    }

    /** {@code out[outOff + b·rows + r] = W[r]·x[b] (+ bias[r])} for the rows of panels {@code [firstPanel, endPanel)}. */
    void panelRows(float[] x, int xOff, int batch, float[] bias, float[] out, int outOff, int firstPanel, int endPanel) {
        float[] tile = F32Gemm.scratch().tile;
        for (int p = firstPanel; p < endPanel; p++) {
            int r0 = p * P;
            for (int b = 0; b < batch; b += T) {
                int n = Math.min(T, batch - b);
                tile(p * cols * P, x, xOff, b, n, tile);
                store(tile, n, bias, r0, out, outOff + b * rows + r0);
            }
        }
    }

    /**
     * One panel × activation rows {@code [b, b + n)}, {@code n ≤ T}, into {@code tile[t·P + i]}. A short last tile
     * repeats its last row in the unused slots (computed, not stored), so one kernel serves every batch size with
     * the same per-output chain. The accumulators go through the tile buffer rather than straight to the output:
     * sixteen inlined masked stores would push the method past the JIT's inlining budget (the vectors then get
     * boxed).
     */
    private void tile(int w, float[] x, int xOff, int b, int n, float[] tile) {
        int x0 = xOff + b * cols;
        int x1 = xOff + (b + Math.min(1, n - 1)) * cols, x2 = xOff + (b + Math.min(2, n - 1)) * cols;
        int x3 = xOff + (b + Math.min(3, n - 1)) * cols, x4 = xOff + (b + Math.min(4, n - 1)) * cols;
        int x5 = xOff + (b + Math.min(5, n - 1)) * cols, x6 = xOff + (b + Math.min(6, n - 1)) * cols;
        int x7 = xOff + (b + Math.min(7, n - 1)) * cols;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
        FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S);
        FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
        FloatVector a40 = FloatVector.zero(S), a41 = FloatVector.zero(S);
        FloatVector a50 = FloatVector.zero(S), a51 = FloatVector.zero(S);
        FloatVector a60 = FloatVector.zero(S), a61 = FloatVector.zero(S);
        FloatVector a70 = FloatVector.zero(S), a71 = FloatVector.zero(S);
        float[] wp = panels;
        for (int k = 0, q = w; k < cols; k++, q += P) {
            FloatVector w0 = FloatVector.fromArray(S, wp, q);
            FloatVector w1 = FloatVector.fromArray(S, wp, q + L);
            FloatVector xb = FloatVector.broadcast(S, x[x0 + k]);
            a00 = xb.fma(w0, a00);
            a01 = xb.fma(w1, a01);
            xb = FloatVector.broadcast(S, x[x1 + k]);
            a10 = xb.fma(w0, a10);
            a11 = xb.fma(w1, a11);
            xb = FloatVector.broadcast(S, x[x2 + k]);
            a20 = xb.fma(w0, a20);
            a21 = xb.fma(w1, a21);
            xb = FloatVector.broadcast(S, x[x3 + k]);
            a30 = xb.fma(w0, a30);
            a31 = xb.fma(w1, a31);
            xb = FloatVector.broadcast(S, x[x4 + k]);
            a40 = xb.fma(w0, a40);
            a41 = xb.fma(w1, a41);
            xb = FloatVector.broadcast(S, x[x5 + k]);
            a50 = xb.fma(w0, a50);
            a51 = xb.fma(w1, a51);
            xb = FloatVector.broadcast(S, x[x6 + k]);
            a60 = xb.fma(w0, a60);
            a61 = xb.fma(w1, a61);
            xb = FloatVector.broadcast(S, x[x7 + k]);
            a70 = xb.fma(w0, a70);
            a71 = xb.fma(w1, a71);
        }
        a00.intoArray(tile, 0);
        a01.intoArray(tile, L);
        a10.intoArray(tile, P);
        a11.intoArray(tile, P + L);
        a20.intoArray(tile, 2 * P);
        a21.intoArray(tile, 2 * P + L);
        a30.intoArray(tile, 3 * P);
        a31.intoArray(tile, 3 * P + L);
        a40.intoArray(tile, 4 * P);
        a41.intoArray(tile, 4 * P + L);
        a50.intoArray(tile, 5 * P);
        a51.intoArray(tile, 5 * P + L);
        a60.intoArray(tile, 6 * P);
        a61.intoArray(tile, 6 * P + L);
        a70.intoArray(tile, 7 * P);
        a71.intoArray(tile, 7 * P + L);
    }

    /** The first {@code n} activation rows of the tile to the output, the bias added, lanes past the last row left alone. */
    private void store(float[] tile, int n, float[] bias, int r0, float[] out, int o) {
        for (int half = 0; half < P; half += L) {
            VectorMask<Float> live = S.indexInRange(r0 + half, rows);
            FloatVector b = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, r0 + half, live);
            for (int t = 0; t < n; t++) {
                FloatVector v = FloatVector.fromArray(S, tile, t * P + half);
                if (bias != null) v = v.add(b);
                if (live.allTrue()) {
                    v.intoArray(out, o + t * rows + half);
                } else {
                    v.intoArray(out, o + t * rows + half, live);
                }
            }
        }
    }
}
