package dev.lectern.inference.tensor;

import java.lang.foreign.MemorySegment;

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

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int o = dstOff; o < dstOff + cols; o += 32, block += 17) {
            float d = halfScale(u8(block));
            for (int j = 0; j < 16; j++) {
                int q = u8(block + 1 + j);
                dst[o + j] = LEVELS[q & 0xF] * d;
                dst[o + j + 16] = LEVELS[q >> 4] * d;
            }
        }
    }
}
