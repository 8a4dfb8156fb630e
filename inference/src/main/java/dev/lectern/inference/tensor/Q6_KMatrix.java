package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.lectern.inference.tensor.Vectors.F;

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

    /**
     * Codes {@code 32k + l} for {@code l in [c, c + CHUNK)} of half {@code half} of the super-block at {@code block}
     * (k = 0..3: low nibble of ql[l], low nibble of ql[32+l], high nibbles of the same, with bit pair k of qh[l] on
     * top), as signed values q - 32.
     */
    private ByteVector codes(long block, int half, int c, int k) {
        long ql = block + 64L * half + c + 32 * (k & 1);
        ByteVector low = Vectors.load(data, ql);
        low = k < 2 ? low.and((byte) 0xF) : low.lanewise(VectorOperators.LSHR, 4);
        ByteVector high = Vectors.load(data, block + 128 + 32L * half + c).lanewise(VectorOperators.LSHR, 2 * k).and((byte) 3);
        return low.or(high.lanewise(VectorOperators.LSHL, 4)).sub((byte) 32);
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int o = dstOff; o < dstOff + cols; o += 256, block += 210) {
            float d = f16(block + 208);
            for (int half = 0; half < 2; half++) {
                long sc = block + 192 + 8L * half;
                for (int c = 0; c < 32; c += Vectors.CHUNK) {
                    for (int k = 0; k < 4; k++) {
                        Vectors.store(codes(block, half, c, k), d * data.get(BYTE, sc + c / 16 + 2 * k), dst, o + 128 * half + 32 * k + c);
                    }
                }
            }
        }
    }

    /** Each group of 16 codes shares one scale: {@code Σ q·x} per group, then one FMA with {@code d·scale}. */
    @Override
    public float dot(int row, float[] x, int xOff) {
        long block = row * rowBytes;
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        for (int o = xOff; o < xOff + cols; o += 256, block += 210) {
            float d = f16(block + 208);
            for (int half = 0; half < 2; half++) {
                long sc = block + 192 + 8L * half;
                for (int c = 0; c < 32; c += Vectors.CHUNK) {
                    int y = o + 128 * half + c;
                    acc0 = Vectors.fma(codes(block, half, c, 0), x, y, FloatVector.zero(F)).fma(FloatVector.broadcast(F, d * data.get(BYTE, sc + c / 16)), acc0);
                    acc1 = Vectors.fma(codes(block, half, c, 1), x, y + 32, FloatVector.zero(F)).fma(FloatVector.broadcast(F, d * data.get(BYTE, sc + c / 16 + 2)), acc1);
                    acc0 = Vectors.fma(codes(block, half, c, 2), x, y + 64, FloatVector.zero(F)).fma(FloatVector.broadcast(F, d * data.get(BYTE, sc + c / 16 + 4)), acc0);
                    acc1 = Vectors.fma(codes(block, half, c, 3), x, y + 96, FloatVector.zero(F)).fma(FloatVector.broadcast(F, d * data.get(BYTE, sc + c / 16 + 6)), acc1);
                }
            }
        }
        return Vectors.sum(acc0.add(acc1));
    }
}
