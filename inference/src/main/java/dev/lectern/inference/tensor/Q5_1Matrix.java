package dev.lectern.inference.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Q5_1: blocks of 32 values in 24 bytes: half-precision scale {@code d} and minimum {@code m}, the 32 high bits
 * {@code qh} (bit {@code i} for value {@code i}), then 16 bytes of low nibbles as in Q5_0. A value is
 * {@code q * d + m}.
 */
final class Q5_1Matrix extends Matrix {

    Q5_1Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q5_1, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q5_1;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int o = dstOff; o < dstOff + cols; o += 32, block += 24) {
            float d = f16(block), m = f16(block + 2);
            int qh = data.get(LE_INT, block + 4);
            for (int j = 0; j < 16; j++) {
                int q = u8(block + 8 + j);
                int lo = (q & 0xF) | (((qh >>> j) & 1) << 4);
                int hi = (q >> 4) | (((qh >>> (j + 16)) & 1) << 4);
                dst[o + j] = lo * d + m;
                dst[o + j + 16] = hi * d + m;
            }
        }
    }
}
