package dev.lectern.inference.tensor;

import java.lang.foreign.MemorySegment;

/** F16 weights: IEEE 754 half-precision values, 2 bytes each, little-endian. */
final class F16Matrix extends Matrix {

    F16Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.F16, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long base = row * rowBytes;
        for (int i = 0; i < cols; i++) dst[dstOff + i] = f16(base + 2L * i);
    }

    @Override
    public float dot(int row, float[] x, int xOff) {
        long base = row * rowBytes;
        float sum = 0f;
        for (int i = 0; i < cols; i++) sum = Math.fma(f16(base + 2L * i), x[xOff + i], sum);
        return sum;
    }
}
