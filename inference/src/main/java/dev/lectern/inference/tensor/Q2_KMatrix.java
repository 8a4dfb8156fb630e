package dev.lectern.inference.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Q2_K: super-blocks of 256 values in 84 bytes: 16 scale bytes (one per sub-block of 16 values: low nibble a
 * 4-bit scale, high nibble a 4-bit minimum), 64 bytes of 2-bit codes, then the half-precision super-block scale
 * {@code d} and minimum scale {@code dmin}. A value is {@code d * scale * q - dmin * min}.
 *
 * <p>Code order: the super-block is two halves of 128 values, each stored in 32 code bytes; within a half, bit pair
 * {@code s} (bits {@code 2s, 2s+1}) of byte {@code l} is value {@code 32 s + l}. Sub-blocks of 16 values take
 * the scale bytes in value order.
 */
final class Q2_KMatrix extends Matrix {

    Q2_KMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q2_K, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q2_K;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int o = dstOff; o < dstOff + cols; o += 256, block += 84) {
            float d = f16(block + 80), dmin = f16(block + 82);
            int sub = 0; // sub-block (scale byte) index in value order
            for (int half = 0; half < 2; half++) {
                long q = block + 16 + 32L * half;
                for (int s = 0; s < 4; s++, sub += 2) {
                    int y = o + 128 * half + 32 * s;
                    int sc = u8(block + sub);
                    float dl = d * (sc & 0xF), ml = dmin * (sc >> 4);
                    for (int l = 0; l < 16; l++) dst[y + l] = dl * ((u8(q + l) >> (2 * s)) & 3) - ml;
                    sc = u8(block + sub + 1);
                    dl = d * (sc & 0xF);
                    ml = dmin * (sc >> 4);
                    for (int l = 0; l < 16; l++) dst[y + 16 + l] = dl * ((u8(q + 16 + l) >> (2 * s)) & 3) - ml;
                }
            }
        }
    }
}
