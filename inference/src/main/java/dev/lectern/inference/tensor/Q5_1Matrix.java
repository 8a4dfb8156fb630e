package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

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
            ByteVector qh = Vectors.load(data, block + 4);
            for (int c = 0; c < 16; c += Vectors.CHUNK) {
                ByteVector q = Vectors.load(data, block + 8 + c);
                ByteVector lo = q.and((byte) 0xF).or(Vectors.bits(qh, c).lanewise(VectorOperators.LSHL, 4));
                ByteVector hi = q.lanewise(VectorOperators.LSHR, 4).or(Vectors.bits(qh, 16 + c).lanewise(VectorOperators.LSHL, 4));
                // q·d + m computed as q·d - (-m): the same IEEE result
                Vectors.store(lo, d, -m, dst, o + c);
                Vectors.store(hi, d, -m, dst, o + 16 + c);
            }
        }
    }
}
