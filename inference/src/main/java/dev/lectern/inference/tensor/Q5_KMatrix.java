package dev.lectern.inference.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Q5_K: super-blocks of 256 values in 176 bytes: half-precision {@code d} and {@code dmin}, the 12-byte scale/min
 * field of Q4_K ({@link Q4_KMatrix#scaleMin}), 32 bytes {@code qh} of fifth bits, then 128 bytes of low nibbles
 * laid out as in Q4_K. The fifth bit of value {@code 64 g + l} is bit {@code 2g} of {@code qh[l]}, that of value
 * {@code 64 g + 32 + l} bit {@code 2g + 1}. A value is {@code d * scale * q - dmin * min}.
 */
final class Q5_KMatrix extends Matrix {

    Q5_KMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q5_K, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q5_K;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int o = dstOff; o < dstOff + cols; o += 256, block += 176) {
            float d = f16(block), dmin = f16(block + 2);
            long qh = block + 16;
            for (int g = 0; g < 4; g++) {
                long q = block + 48 + 32L * g;
                float d1 = d * Q4_KMatrix.scaleMin(data, block + 4, 2 * g, 0), m1 = dmin * Q4_KMatrix.scaleMin(data, block + 4, 2 * g, 1);
                float d2 = d * Q4_KMatrix.scaleMin(data, block + 4, 2 * g + 1, 0), m2 = dmin * Q4_KMatrix.scaleMin(data, block + 4, 2 * g + 1, 1);
                int y = o + 64 * g;
                for (int l = 0; l < 32; l++) {
                    dst[y + l] = d1 * ((u8(q + l) & 0xF) + (((u8(qh + l) >> (2 * g)) & 1) << 4)) - m1;
                }
                for (int l = 0; l < 32; l++) {
                    dst[y + 32 + l] = d2 * ((u8(q + l) >> 4) + (((u8(qh + l) >> (2 * g + 1)) & 1) << 4)) - m2;
                }
            }
        }
    }
}
