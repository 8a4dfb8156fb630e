package dev.lectern.inference.tensor;

import java.lang.foreign.MemorySegment;

/**
 * A matrix whose batch-invariant product (every decode step, single or batched: {@link Matrix#rows},
 * {@link #invariantRows}) runs on a copy of its weights repacked into {@link RowPanels}, made on first use. That
 * product's order is the panels' own, not {@link #dot}'s, so a sequence decoded through it differs from
 * {@link #dot} in the last bits, identically at every batch size. Everything else (dequantization, the prefill
 * GEMM, {@link #dot}) reads the row-major original.
 */
abstract class RepackedMatrix extends Matrix {

    private volatile RowPanels<?> panels;

    RepackedMatrix(GgmlType type, MemorySegment data, int rows, int cols) {
        super(type, data, rows, cols);
    }

    /** Makes the repacked copy of {@link #data}. */
    abstract RowPanels<?> repack();

    @Override
    protected final void invariantRows(float[] x, int xOff, int batch, float[] out, int outOff, int rowStart, int rowEnd) {
        panels().product(x, xOff, batch, out, outOff, rowStart, rowEnd);
    }

    /** The repacked copy, made once (by the first thread to need it; the others wait for it). */
    final RowPanels<?> panels() {
        RowPanels<?> p = panels;
        if (p == null) {
            synchronized (this) {
                p = panels;
                if (p == null) panels = p = repack();
            }
        }
        return p;
    }
}
