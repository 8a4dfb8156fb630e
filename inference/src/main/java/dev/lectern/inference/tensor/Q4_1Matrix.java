package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

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
            for (int c = 0; c < 16; c += Vectors.CHUNK) {
                ByteVector q = Vectors.load(data, block + 4 + c);
                // q·d + m computed as q·d - (-m): the same IEEE result
                Vectors.store(q.and((byte) 0xF), d, -m, dst, o + c);
                Vectors.store(q.lanewise(VectorOperators.LSHR, 4), d, -m, dst, o + 16 + c);
            }
        }
    }
}
