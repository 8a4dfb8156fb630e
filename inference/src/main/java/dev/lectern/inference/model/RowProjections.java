package dev.lectern.inference.model;

import dev.lectern.inference.tensor.Parallel;

/**
 * Several projections of one activation row in a single parallel loop, for decoding one token: the query, key and
 * value projections, or the gate and up projections with SwiGLU applied as each pair of outputs is ready. One loop
 * instead of one per matrix means one fork and join of the worker threads instead of three (a token of a 16-layer
 * model had 129 of them), and the split over the concatenated rows keeps the threads evenly loaded.
 *
 * <p>Every output is {@link Linear#rows}: the same operations as {@link Linear#apply} for one row, so the bits do not
 * depend on this fusion or on the thread count.
 */
final class RowProjections {
    /** Thread split unit in output rows: every projection here has a multiple of it (model widths are multiples of 64). */
    private static final int GRAIN = 64;

    private RowProjections() {}

    /** {@code outA = A x + a}, {@code outB = B x + b}, {@code outC = C x + c} for the single row {@code x}. */
    static void apply(float[] x, Linear a, float[] outA, Linear b, float[] outB, Linear c, float[] outC, Parallel parallel) {
        int na = a.outFeatures(), nb = b.outFeatures(), nc = c.outFeatures();
        parallel.forRange(na + nb + nc, GRAIN, (start, end) -> {
            rows(a, x, outA, start, end, 0);
            rows(b, x, outB, start, end, na);
            rows(c, x, outC, start, end, na + nb);
        });
    }

    /**
     * {@code gate[i] = SiLU(G x + g)[i] · (U x + u)[i]} for the single row {@code x}: the SwiGLU input of the
     * down projection; each thread's share of rows gets its SwiGLU as soon as both products are done ({@code up}
     * receives the up projection).
     */
    static void swiglu(float[] x, Linear gateProj, float[] gate, Linear upProj, float[] up, Parallel parallel) {
        parallel.forRange(gateProj.outFeatures(), GRAIN, (start, end) -> {
            // Each matrix's rows in a run of their own: one sequential stream at a time streams faster than two
            // alternating row by row.
            rows(gateProj, x, gate, start, end, 0);
            rows(upProj, x, up, start, end, 0);
            Activations.swiglu(gate, start, up, start, end - start);
        });
    }

    /**
     * The outputs of {@code l} among items {@code [start, end)} of a loop whose items {@code [first, first + l's
     * outputs)} are {@code l}'s rows, with the bias added.
     */
    private static void rows(Linear l, float[] x, float[] out, int start, int end, int first) {
        int s = Math.max(start, first) - first, e = Math.min(end, first + l.outFeatures()) - first;
        if (s < e) l.rows(x, 0, out, 0, s, e);
    }
}
