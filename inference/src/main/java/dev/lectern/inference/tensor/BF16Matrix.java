package dev.lectern.inference.tensor;

import java.lang.foreign.MemorySegment;

/** BF16 weights: the upper 16 bits of an IEEE float (same exponent range, 8-bit mantissa), little-endian. */
final class BF16Matrix extends Matrix {

    BF16Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.BF16, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.BF16;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long base = row * rowBytes;
        for (int i = 0; i < cols; i++) dst[dstOff + i] = Float.intBitsToFloat(data.get(LE_SHORT, base + 2L * i) << 16);
    }
}
