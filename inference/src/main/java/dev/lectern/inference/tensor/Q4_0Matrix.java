package dev.lectern.inference.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Q4_0: blocks of 32 values in 18 bytes: a half-precision scale {@code d}, then 16 bytes of 4-bit codes. Byte
 * {@code j} holds value {@code j} in its low nibble and value {@code j + 16} in its high nibble; a value is
 * {@code (nibble - 8) * d}.
 */
final class Q4_0Matrix extends Matrix {

    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 18;

    Q4_0Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q4_0, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int b = 0; b < cols / BLOCK; b++, block += BLOCK_BYTES) {
            float d = f16(block);
            int o = dstOff + b * BLOCK;
            for (int j = 0; j < 16; j++) {
                int q = data.get(BYTE, block + 2 + j);
                dst[o + j] = ((q & 0xF) - 8) * d;
                dst[o + j + 16] = (((q >> 4) & 0xF) - 8) * d;
            }
        }
    }

    @Override
    public float dot(int row, float[] x, int xOff) {
        long block = row * rowBytes;
        float sum = 0f;
        for (int b = 0; b < cols / BLOCK; b++, block += BLOCK_BYTES) {
            int o = xOff + b * BLOCK;
            float s = 0f;
            for (int j = 0; j < 16; j++) {
                int q = data.get(BYTE, block + 2 + j);
                s = Math.fma((q & 0xF) - 8, x[o + j], s);
                s = Math.fma(((q >> 4) & 0xF) - 8, x[o + j + 16], s);
            }
            sum = Math.fma(s, f16(block), sum);
        }
        return sum;
    }
}
