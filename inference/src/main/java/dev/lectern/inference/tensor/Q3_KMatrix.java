package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/**
 * Q3_K: super-blocks of 256 values in 110 bytes: 32 bytes {@code hmask} (the third, high bit of every value), 64
 * bytes of low 2-bit codes, 12 bytes packing 16 signed 6-bit sub-block scales, then the half-precision scale
 * {@code d}. A value is {@code d * (scale - 32) * (q - (highBit ? 0 : 4))}.
 *
 * <p>Code order as in Q2_K: two halves of 128 values, bit pair {@code s} of low-code byte {@code l} of a half is
 * value {@code 32 s + l}; the high bit of value {@code v} (0..255) is bit {@code v / 32} of {@code hmask[v % 32]}.
 * Scale {@code j}: low 4 bits are the low ({@code j < 8}) or high ({@code j >= 8}) nibble of byte {@code j % 8};
 * high 2 bits are bits {@code 2 (j / 4)} of byte {@code 8 + j % 4}.
 */
final class Q3_KMatrix extends Matrix {

    Q3_KMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q3_K, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q3_K;
    }

    private int scale(long scales, int j) {
        int low = j < 8 ? u8(scales + j) & 0xF : u8(scales + j - 8) >> 4;
        int high = (u8(scales + 8 + j % 4) >> (2 * (j / 4))) & 3;
        return (low | (high << 4)) - 32;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int o = dstOff; o < dstOff + cols; o += 256, block += 110) {
            float d = f16(block + 108);
            long hmask = block, scales = block + 96;
            int sub = 0;
            for (int half = 0; half < 2; half++) {
                long q = block + 32 + 32L * half;
                for (int s = 0; s < 4; s++) {
                    int y = o + 128 * half + 32 * s;
                    for (int part = 0; part < 2; part++, sub++) {
                        float dl = d * scale(scales, sub);
                        for (int c = 16 * part; c < 16 * part + 16; c += Vectors.CHUNK) {
                            ByteVector low = Vectors.load(data, q + c).lanewise(VectorOperators.LSHR, 2 * s).and((byte) 3);
                            ByteVector high = Vectors.load(data, hmask + c).lanewise(VectorOperators.LSHR, 4 * half + s).and((byte) 1);
                            // q - (highBit ? 0 : 4) = q - 4 + 4·highBit
                            Vectors.store(low.sub((byte) 4).add(high.lanewise(VectorOperators.LSHL, 2)), dl, dst, y + c);
                        }
                    }
                }
            }
        }
    }
}
