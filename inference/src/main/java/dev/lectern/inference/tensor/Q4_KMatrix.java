package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.lectern.inference.tensor.Vectors.F;

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
                float d1 = d * scaleMin(data, block + 4, 2 * g, 0), m1 = dmin * scaleMin(data, block + 4, 2 * g, 1);
                float d2 = d * scaleMin(data, block + 4, 2 * g + 1, 0), m2 = dmin * scaleMin(data, block + 4, 2 * g + 1, 1);
                for (int c = 0; c < 32; c += Vectors.CHUNK) {
                    ByteVector q = Vectors.load(data, block + 16 + 32L * g + c);
                    int y = o + 64 * g + c;
                    Vectors.store(q.and((byte) 0xF), d1, m1, dst, y);
                    Vectors.store(q.lanewise(VectorOperators.LSHR, 4), d2, m2, dst, y + 32);
                }
            }
        }
    }

    /**
     * Per sub-block, {@code Σ (d·s·q - dmin·m)·x = d·s·Σ q·x - dmin·m·Σ x}: the codes and the activations are
     * summed in vectors and the two scales applied once per sub-block of 32.
     */
    @Override
    public float dot(int row, float[] x, int xOff) {
        long block = row * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        for (int o = xOff; o < xOff + cols; o += 256, block += 144) {
            float d = f16(block), dmin = f16(block + 2);
            for (int g = 0; g < 4; g++) {
                FloatVector q1 = FloatVector.zero(F), q2 = FloatVector.zero(F), x1 = FloatVector.zero(F), x2 = FloatVector.zero(F);
                for (int c = 0; c < 32; c += Vectors.CHUNK) {
                    ByteVector q = Vectors.load(data, block + 16 + 32L * g + c);
                    int y = o + 64 * g + c;
                    q1 = Vectors.fma(q.and((byte) 0xF), x, y, q1);
                    q2 = Vectors.fma(q.lanewise(VectorOperators.LSHR, 4), x, y + 32, q2);
                    x1 = Vectors.sum(x, y, x1);
                    x2 = Vectors.sum(x, y + 32, x2);
                }
                acc = q1.fma(FloatVector.broadcast(F, d * scaleMin(data, block + 4, 2 * g, 0)), acc);
                acc = x1.fma(FloatVector.broadcast(F, -dmin * scaleMin(data, block + 4, 2 * g, 1)), acc);
                acc = q2.fma(FloatVector.broadcast(F, d * scaleMin(data, block + 4, 2 * g + 1, 0)), acc);
                acc = x2.fma(FloatVector.broadcast(F, -dmin * scaleMin(data, block + 4, 2 * g + 1, 1)), acc);
            }
        }
        return Vectors.sum(acc);
    }
}
