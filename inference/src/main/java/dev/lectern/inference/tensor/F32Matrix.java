package dev.lectern.inference.tensor;

import java.lang.foreign.MemorySegment;

/** F32 weights: plain little-endian floats, 4 bytes per value. */
final class F32Matrix extends Matrix {

    F32Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.F32, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long base = row * rowBytes;
        for (int i = 0; i < cols; i++) dst[dstOff + i] = data.get(LE_FLOAT, base + 4L * i);
    }

    @Override
    public float dot(int row, float[] x, int xOff) {
        return F32Gemm.dot1(data, row * rowBytes, cols, x, xOff);
    }

    /** The rows are already F32: run the GEMM straight on the mapped bytes. */
    @Override
    protected void gemmRows(float[] x, int xOff, int batch, float[] out, int outOff, int rowStart, int rowEnd) {
        F32Gemm.panel(data, rowStart * rowBytes, rowEnd - rowStart, cols, x, xOff, batch, out, outOff + rowStart, rows);
    }
}
