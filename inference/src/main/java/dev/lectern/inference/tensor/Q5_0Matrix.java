package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

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
            ByteVector qh = Vectors.load(data, block + 2);
            for (int c = 0; c < 16; c += Vectors.CHUNK) {
                ByteVector q = Vectors.load(data, block + 6 + c);
                ByteVector lo = q.and((byte) 0xF).or(Vectors.bits(qh, c).lanewise(VectorOperators.LSHL, 4));
                ByteVector hi = q.lanewise(VectorOperators.LSHR, 4).or(Vectors.bits(qh, 16 + c).lanewise(VectorOperators.LSHL, 4));
                Vectors.store(lo.sub((byte) 16), d, dst, o + c);
                Vectors.store(hi.sub((byte) 16), d, dst, o + 16 + c);
            }
        }
    }
}
