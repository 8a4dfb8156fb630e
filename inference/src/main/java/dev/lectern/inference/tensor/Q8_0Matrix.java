package dev.lectern.inference.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Q8_0: blocks of 32 values in 34 bytes: a half-precision scale {@code d}, then 32 signed bytes {@code q};
 * value {@code i} is {@code q[i] * d}.
 */
final class Q8_0Matrix extends Matrix {

    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 34;

    Q8_0Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q8_0, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int b = 0; b < cols / BLOCK; b++, block += BLOCK_BYTES) {
            float d = f16(block);
            int o = dstOff + b * BLOCK;
            for (int i = 0; i < BLOCK; i++) dst[o + i] = data.get(BYTE, block + 2 + i) * d;
        }
    }

    @Override
    public float dot(int row, float[] x, int xOff) {
        long block = row * rowBytes;
        float sum = 0f;
        for (int b = 0; b < cols / BLOCK; b++, block += BLOCK_BYTES) {
            int o = xOff + b * BLOCK;
            float s = 0f;
            for (int i = 0; i < BLOCK; i++) s = Math.fma(data.get(BYTE, block + 2 + i), x[o + i], s);
            sum = Math.fma(s, f16(block), sum);
        }
        return sum;
    }
}
