package dev.lectern.inference.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Q4_1: blocks of 32 values in 20 bytes: half-precision scale {@code d} and minimum {@code m}, then 16 bytes of
 * 4-bit codes (byte {@code j}: value {@code j} in the low nibble, value {@code j + 16} in the high nibble);
 * a value is {@code q * d + m}.
 */
final class Q4_1Matrix extends Matrix {

    Q4_1Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q4_1, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_1;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int o = dstOff; o < dstOff + cols; o += 32, block += 20) {
            float d = f16(block), m = f16(block + 2);
            for (int j = 0; j < 16; j++) {
                int q = u8(block + 4 + j);
                dst[o + j] = (q & 0xF) * d + m;
                dst[o + j + 16] = (q >> 4) * d + m;
            }
        }
    }
}
