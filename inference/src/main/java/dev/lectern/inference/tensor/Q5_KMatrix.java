package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.lectern.inference.tensor.Vectors.F;

/**
 * Q5_K: super-blocks of 256 values in 176 bytes: half-precision {@code d} and {@code dmin}, the 12-byte scale/min
 * field of Q4_K ({@link Q4_KMatrix#scaleMin}), 32 bytes {@code qh} of fifth bits, then 128 bytes of low nibbles
 * laid out as in Q4_K. The fifth bit of value {@code 64 g + l} is bit {@code 2g} of {@code qh[l]}, that of value
 * {@code 64 g + 32 + l} bit {@code 2g + 1}. A value is {@code d * scale * q - dmin * min}.
 */
final class Q5_KMatrix extends Matrix {

    Q5_KMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q5_K, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q5_K;
    }

    /** Codes {@code 64 g + 32 half + l}, {@code l in [c, c + CHUNK)}: nibble plus the fifth bit from {@code qh}. */
    private ByteVector codes(long block, int g, int half, int c) {
        ByteVector q = Vectors.load(data, block + 48 + 32L * g + c);
        ByteVector low = half == 0 ? q.and((byte) 0xF) : q.lanewise(VectorOperators.LSHR, 4);
        ByteVector high = Vectors.load(data, block + 16 + c).lanewise(VectorOperators.LSHR, 2 * g + half).and((byte) 1);
        return low.or(high.lanewise(VectorOperators.LSHL, 4));
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int o = dstOff; o < dstOff + cols; o += 256, block += 176) {
            float d = f16(block), dmin = f16(block + 2);
            for (int g = 0; g < 4; g++) {
                for (int half = 0; half < 2; half++) {
                    int sub = 2 * g + half;
                    float dl = d * Q4_KMatrix.scaleMin(data, block + 4, sub, 0), ml = dmin * Q4_KMatrix.scaleMin(data, block + 4, sub, 1);
                    for (int c = 0; c < 32; c += Vectors.CHUNK) {
                        Vectors.store(codes(block, g, half, c), dl, ml, dst, o + 64 * g + 32 * half + c);
                    }
                }
            }
        }
    }

    /** As Q4_K: {@code d·s·Σ q·x - dmin·m·Σ x} per sub-block of 32. */
    @Override
    public float dot(int row, float[] x, int xOff) {
        long block = row * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        for (int o = xOff; o < xOff + cols; o += 256, block += 176) {
            float d = f16(block), dmin = f16(block + 2);
            for (int sub = 0; sub < 8; sub++) {
                FloatVector sq = FloatVector.zero(F), sx = FloatVector.zero(F);
                int y = o + 32 * sub;
                for (int c = 0; c < 32; c += Vectors.CHUNK) {
                    sq = Vectors.fma(codes(block, sub / 2, sub % 2, c), x, y + c, sq);
                    sx = Vectors.sum(x, y + c, sx);
                }
                acc = sq.fma(FloatVector.broadcast(F, d * Q4_KMatrix.scaleMin(data, block + 4, sub, 0)), acc);
                acc = sx.fma(FloatVector.broadcast(F, -dmin * Q4_KMatrix.scaleMin(data, block + 4, sub, 1)), acc);
            }
        }
        return Vectors.sum(acc);
    }
}
