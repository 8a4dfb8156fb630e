package dev.lectern.inference.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Q4_K: super-blocks of 256 values in 144 bytes: half-precision {@code d} and {@code dmin}, 12 bytes packing 8
 * six-bit scales and 8 six-bit minimums (one pair per sub-block of 32, see {@link #scaleMin}), then 128 bytes of
 * nibbles. A value is {@code d * scale * q - dmin * min}.
 *
 * <p>Code order: four groups of 64 values, each stored in 32 bytes; byte {@code l} of group {@code g} holds value
 * {@code 64 g + l} in its low nibble (sub-block {@code 2g}) and value {@code 64 g + 32 + l} in its high nibble
 * (sub-block {@code 2g + 1}).
 */
final class Q4_KMatrix extends Matrix {

    Q4_KMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q4_K, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
    }

    /**
     * The 6-bit scale ({@code which == 0}) or minimum ({@code which == 1}) of sub-block {@code j} from the 12-byte
     * K-quant scale field at {@code scales} (shared by Q4_K and Q5_K): sub-blocks 0-3 keep theirs in the low 6
     * bits of bytes {@code j} (scale) and {@code j + 4} (min); sub-blocks 4-7 take 4 bits from byte {@code j + 4}
     * (low nibble scale, high nibble min) and their top 2 bits from the spare top bits of bytes {@code j - 4}
     * (scale) and {@code j} (min).
     */
    static int scaleMin(MemorySegment data, long scales, int j, int which) {
        int a = Byte.toUnsignedInt(data.get(BYTE, scales + j + 4 * which));
        if (j < 4) return a & 63;
        int b = Byte.toUnsignedInt(data.get(BYTE, scales + j + 4));
        int top = Byte.toUnsignedInt(data.get(BYTE, scales + j - 4 + 4 * which)) >> 6;
        return (which == 0 ? b & 0xF : b >> 4) | (top << 4);
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int o = dstOff; o < dstOff + cols; o += 256, block += 144) {
            float d = f16(block), dmin = f16(block + 2);
            for (int g = 0; g < 4; g++) {
                long q = block + 16 + 32L * g;
                float d1 = d * scaleMin(data, block + 4, 2 * g, 0), m1 = dmin * scaleMin(data, block + 4, 2 * g, 1);
                float d2 = d * scaleMin(data, block + 4, 2 * g + 1, 0), m2 = dmin * scaleMin(data, block + 4, 2 * g + 1, 1);
                int y = o + 64 * g;
                for (int l = 0; l < 32; l++) dst[y + l] = d1 * (u8(q + l) & 0xF) - m1;
                for (int l = 0; l < 32; l++) dst[y + 32 + l] = d2 * (u8(q + l) >> 4) - m2;
            }
        }
    }
}
