package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

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
                for (int s = 0; s < 4; s++) {
                    for (int part = 0; part < 2; part++, sub++) {
                        int sc = u8(block + sub);
                        float dl = d * (sc & 0xF), ml = dmin * (sc >> 4);
                        for (int c = 0; c < 16; c += Vectors.CHUNK) {
                            ByteVector codes = Vectors.load(data, q + 16 * part + c).lanewise(VectorOperators.LSHR, 2 * s).and((byte) 3);
                            Vectors.store(codes, dl, ml, dst, o + 128 * half + 32 * s + 16 * part + c);
                        }
                    }
                }
            }
        }
    }
}
