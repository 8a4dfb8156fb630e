package dev.lectern.inference.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Q5_0: blocks of 32 values in 22 bytes: half-precision scale {@code d}, a 32-bit word {@code qh} holding the
 * fifth (high) bit of every value (bit {@code i} for value {@code i}), then 16 bytes of low nibbles (byte
 * {@code j}: value {@code j} low, value {@code j + 16} high). A value is {@code (q - 16) * d}.
 */
final class Q5_0Matrix extends Matrix {

    Q5_0Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q5_0, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q5_0;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int o = dstOff; o < dstOff + cols; o += 32, block += 22) {
            float d = f16(block);
            int qh = data.get(LE_INT, block + 2);
            for (int j = 0; j < 16; j++) {
                int q = u8(block + 6 + j);
                int lo = (q & 0xF) | (((qh >>> j) & 1) << 4);
                int hi = (q >> 4) | (((qh >>> (j + 16)) & 1) << 4);
                dst[o + j] = (lo - 16) * d;
                dst[o + j + 16] = (hi - 16) * d;
            }
        }
    }
}
