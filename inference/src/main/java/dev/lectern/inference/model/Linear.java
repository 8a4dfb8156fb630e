package dev.lectern.inference.model;

import dev.lectern.inference.tensor.Matrix;
import dev.lectern.inference.tensor.Parallel;

/**
 * An affine map {@code y = W x + b} applied to a batch of rows; the bias is optional (null).
 *
 * @param weight {@code outFeatures × inFeatures} in any supported ggml type
 * @param bias   {@code outFeatures} floats, or null
 */
public record Linear(Matrix weight, float[] bias) {

    public int inFeatures() {
        return weight.cols();
    }

    public int outFeatures() {
        return weight.rows();
    }

    /** {@code out[r] = W x[r] + b} for {@code rows} rows laid out back to back. */
    public void apply(float[] x, int rows, float[] out, Parallel parallel) {
        apply(x, rows, out, parallel, false);
    }

    /** As {@link #apply(float[], int, float[], Parallel)}; see {@link Matrix#matmul(float[], int, int, float[], int, Parallel, boolean)}. */
    public void apply(float[] x, int rows, float[] out, Parallel parallel, boolean batchInvariant) {
        weight.matmul(x, 0, rows, out, 0, parallel, batchInvariant);
        if (bias != null) {
            int n = weight.rows();
            for (int r = 0; r < rows; r++) Activations.addBias(out, r * n, bias, n);
        }
    }

    /**
     * Outputs {@code [start, end)} of one row: {@code out[outOff + i] = (W x[xOff ..])[i] + b[i]}, on the calling
     * thread, with the single-row kernel {@link #apply} runs for one row ({@link Matrix#rows}), so the bits are the
     * same. For loops that split several projections' outputs between threads themselves.
     */
    void rows(float[] x, int xOff, float[] out, int outOff, int start, int end) {
        weight.rows(x, xOff, out, outOff, start, end);
        if (bias != null) for (int i = start; i < end; i++) out[outOff + i] += bias[i];
    }
}
