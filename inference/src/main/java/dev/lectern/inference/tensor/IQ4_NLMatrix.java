package dev.lectern.inference.tensor;

import java.lang.foreign.MemorySegment;

/**
 * IQ4_NL: blocks of 32 values in 18 bytes, laid out like Q4_0 (half-precision scale {@code d}, 16 bytes of
 * nibbles, value {@code j} low and {@code j + 16} high), but a nibble indexes a fixed non-linear table of 16
 * levels (denser near zero, matching the bell shape of weights): a value is {@code LEVELS[nibble] * d}.
 */
final class IQ4_NLMatrix extends Matrix {

    /** ggml's {@code kvalues_iq4nl}; shared with IQ4_XS. */
    static final byte[] LEVELS = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

    IQ4_NLMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.IQ4_NL, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.IQ4_NL;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int o = dstOff; o < dstOff + cols; o += 32, block += 18) {
            float d = f16(block);
            for (int j = 0; j < 16; j++) {
                int q = u8(block + 2 + j);
                dst[o + j] = d * LEVELS[q & 0xF];
                dst[o + j + 16] = d * LEVELS[q >> 4];
            }
        }
    }
}
