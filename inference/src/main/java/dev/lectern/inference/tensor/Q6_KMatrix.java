package dev.lectern.inference.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Q6_K: super-blocks of 256 values in 210 bytes: 128 bytes {@code ql} of low nibbles, 64 bytes {@code qh} of
 * high 2-bit pairs, 16 signed 8-bit sub-block scales (one per 16 values), then the half-precision scale {@code d}.
 * A value is {@code d * scale * (q - 32)} with a 6-bit {@code q}.
 *
 * <p>Code order: two halves of 128 values, each with 64 {@code ql} bytes and 32 {@code qh} bytes. For
 * {@code l < 32} in a half: value {@code l} is the low nibble of {@code ql[l]}, value {@code 32 + l} the low
 * nibble of {@code ql[32 + l]}, value {@code 64 + l} the high nibble of {@code ql[l]}, value {@code 96 + l} the
 * high nibble of {@code ql[32 + l]}; their top two bits are bit pairs 0, 1, 2, 3 of {@code qh[l]}.
 */
final class Q6_KMatrix extends Matrix {

    Q6_KMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q6_K, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int o = dstOff; o < dstOff + cols; o += 256, block += 210) {
            float d = f16(block + 208);
            for (int half = 0; half < 2; half++) {
                long ql = block + 64L * half, qh = block + 128 + 32L * half, sc = block + 192 + 8L * half;
                int y = o + 128 * half;
                for (int l = 0; l < 32; l++) {
                    int is = l / 16;
                    int h = u8(qh + l);
                    int q1 = ((u8(ql + l) & 0xF) | ((h & 3) << 4)) - 32;
                    int q2 = ((u8(ql + 32 + l) & 0xF) | (((h >> 2) & 3) << 4)) - 32;
                    int q3 = ((u8(ql + l) >> 4) | (((h >> 4) & 3) << 4)) - 32;
                    int q4 = ((u8(ql + 32 + l) >> 4) | (((h >> 6) & 3) << 4)) - 32;
                    dst[y + l] = d * data.get(BYTE, sc + is) * q1;
                    dst[y + 32 + l] = d * data.get(BYTE, sc + is + 2) * q2;
                    dst[y + 64 + l] = d * data.get(BYTE, sc + is + 4) * q3;
                    dst[y + 96 + l] = d * data.get(BYTE, sc + is + 6) * q4;
                }
            }
        }
    }
}
