package dev.lectern.inference.tensor;

import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static dev.lectern.inference.tensor.Vectors.F;

/**
 * Q8_0: blocks of 32 values in 34 bytes: a half-precision scale {@code d}, then 32 signed bytes {@code q};
 * value {@code i} is {@code q[i] * d}.
 */
final class Q8_0Matrix extends Matrix {

    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 34;

    Q8_0Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q8_0, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int o = dstOff; o < dstOff + cols; o += BLOCK, block += BLOCK_BYTES) {
            float d = f16(block);
            for (int c = 0; c < BLOCK; c += Vectors.CHUNK) Vectors.store(Vectors.load(data, block + 2 + c), d, dst, o + c);
        }
    }

    /**
     * Per block, {@code Σ q·x} is accumulated in a vector and then scaled by {@code d} into one of two running
     * accumulators (even and odd blocks), so the scale costs one FMA per block rather than one multiply per value.
     */
    @Override
    public float dot(int row, float[] x, int xOff) {
        long block = row * rowBytes;
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        int nb = cols / BLOCK;
        for (int b = 0; b < nb; b++, block += BLOCK_BYTES) {
            int o = xOff + b * BLOCK;
            FloatVector s = FloatVector.zero(F);
            for (int c = 0; c < BLOCK; c += Vectors.CHUNK) s = Vectors.fma(Vectors.load(data, block + 2 + c), x, o + c, s);
            FloatVector d = FloatVector.broadcast(F, f16(block));
            if ((b & 1) == 0) acc0 = s.fma(d, acc0);
            else acc1 = s.fma(d, acc1);
        }
        return Vectors.sum(acc0.add(acc1));
    }

    /** ggml's reference quantization ({@code quantize_row_q8_0_ref}): {@code d = amax / 127}, {@code q = round(x / d)}. */
    static void quantize(float[] src, int off, int n, MemorySegment dst, long dstOff) {
        for (int b = 0; b < n / BLOCK; b++, dstOff += BLOCK_BYTES) {
            int o = off + b * BLOCK;
            float amax = 0;
            for (int i = 0; i < BLOCK; i++) amax = Math.max(amax, Math.abs(src[o + i]));
            float d = amax / 127;
            float id = d != 0 ? 1 / d : 0;
            dst.set(LE_SHORT, dstOff, Float.floatToFloat16(d));
            for (int i = 0; i < BLOCK; i++) dst.set(BYTE, dstOff + 2 + i, (byte) Quantizer.roundAway(src[o + i] * id));
        }
    }
}
