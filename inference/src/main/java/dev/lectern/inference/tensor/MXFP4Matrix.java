package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.lectern.inference.tensor.Vectors.F;

/**
 * MXFP4 (OCP microscaling FP4), GGUF layout: blocks of 32 values in 17 bytes: one E8M0 scale byte {@code e}
 * (a bare power of two, 2^(e-127)), then 16 bytes of 4-bit E2M1 codes (byte {@code j}: value {@code j} in the low
 * nibble, value {@code j + 16} in the high nibble). E2M1 codes are sign + 3 bits for the magnitudes
 * 0, 0.5, 1, 1.5, 2, 3, 4, 6. ggml stores them doubled as integers ({@link #LEVELS}) and halves the scale instead,
 * which we follow so that dequantization is bit-exact: a value is {@code LEVELS[code] * 2^(e-128)}.
 */
final class MXFP4Matrix extends Matrix {

    /** ggml's {@code kvalues_mxfp4}: E2M1 values times 2. */
    static final byte[] LEVELS = {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12};

    MXFP4Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.MXFP4, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.MXFP4;
    }

    /**
     * {@code 2^(e-128)}, ggml's {@code e8m0_to_fp32_half}: for {@code e < 2} the result is subnormal and is built
     * from its mantissa bits.
     */
    static float halfScale(int e) {
        return Float.intBitsToFloat(e < 2 ? 0x00200000 << e : (e - 1) << 23);
    }

    private static final Vectors.Table16 TABLE = Vectors.Table16.of(LEVELS);

    private static ByteVector levels(ByteVector codes) {
        return Vectors.lookup(codes, TABLE);
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int o = dstOff; o < dstOff + cols; o += 32, block += 17) {
            float d = halfScale(u8(block));
            for (int c = 0; c < 16; c += Vectors.CHUNK) {
                ByteVector q = Vectors.load(data, block + 1 + c);
                Vectors.store(levels(q.and((byte) 0xF)), d, dst, o + c);
                Vectors.store(levels(q.lanewise(VectorOperators.LSHR, 4)), d, dst, o + 16 + c);
            }
        }
    }

    /** {@code Σ level·x} per block in a vector, scaled by the block's power of two into even/odd accumulators. */
    @Override
    public float dot(int row, float[] x, int xOff) {
        long block = row * rowBytes;
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        int nb = cols / 32;
        for (int b = 0; b < nb; b++, block += 17) {
            int o = xOff + b * 32;
            FloatVector s = FloatVector.zero(F);
            for (int c = 0; c < 16; c += Vectors.CHUNK) {
                ByteVector q = Vectors.load(data, block + 1 + c);
                s = Vectors.fma(levels(q.and((byte) 0xF)), x, o + c, s);
                s = Vectors.fma(levels(q.lanewise(VectorOperators.LSHR, 4)), x, o + 16 + c, s);
            }
            FloatVector d = FloatVector.broadcast(F, halfScale(u8(block)));
            if ((b & 1) == 0) acc0 = s.fma(d, acc0);
            else acc1 = s.fma(d, acc1);
        }
        return Vectors.sum(acc0.add(acc1));
    }

    /**
     * ggml's reference quantization ({@code quantize_row_mxfp4_ref}): the shared exponent puts the largest
     * magnitude near the top level ({@code e = floor(log2 amax) - 2 + 127}), and each value takes the nearest level.
     */
    static void quantize(float[] src, int off, int n, MemorySegment dst, long dstOff) {
        for (int b = 0; b < n / 32; b++, dstOff += 17) {
            int o = off + b * 32;
            float amax = 0;
            for (int i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(src[o + i]));
            int e = amax > 0 ? (int) (Math.floor(Math.log(amax) / Math.log(2)) - 2 + 127) : 0;
            e = Math.max(0, Math.min(255, e));
            float d = halfScale(e);
            dst.set(BYTE, dstOff, (byte) e);
            for (int j = 0; j < 16; j++) {
                dst.set(BYTE, dstOff + 1 + j, (byte) (nearestLevel(src[o + j], d) | (nearestLevel(src[o + 16 + j], d) << 4)));
            }
        }
    }

    /** The first of the 16 levels nearest to {@code x} (so +0 wins over -0). */
    private static int nearestLevel(float x, float d) {
        int best = 0;
        float bestErr = Math.abs(LEVELS[0] * d - x);
        for (int i = 1; i < 16; i++) {
            float err = Math.abs(LEVELS[i] * d - x);
            if (err < bestErr) {
                best = i;
                bestErr = err;
            }
        }
        return best;
    }
}
