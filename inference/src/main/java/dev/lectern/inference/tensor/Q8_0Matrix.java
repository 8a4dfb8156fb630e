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
     * The main loop takes four blocks per iteration: their sums are independent chains the CPU overlaps, and the
     * scales are read (vector load, see {@link Vectors#f16}) ahead of the FMAs that need them. The arithmetic is the
     * same operations in the same order as one block at a time, which {@link #dot4} relies on.
     */
    @Override
    public float dot(int row, float[] x, int xOff) {
        long block = row * rowBytes;
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        int nb = cols / BLOCK, b = 0;
        for (; b + 4 <= nb; b += 4, block += 4 * BLOCK_BYTES) {
            float d0 = Vectors.f16(data, block), d1 = Vectors.f16(data, block + BLOCK_BYTES);
            float d2 = Vectors.f16(data, block + 2 * BLOCK_BYTES), d3 = Vectors.f16(data, block + 3 * BLOCK_BYTES);
            int o = xOff + b * BLOCK;
            FloatVector s0 = blockSum(block, x, o), s1 = blockSum(block + BLOCK_BYTES, x, o + BLOCK);
            FloatVector s2 = blockSum(block + 2 * BLOCK_BYTES, x, o + 2 * BLOCK), s3 = blockSum(block + 3 * BLOCK_BYTES, x, o + 3 * BLOCK);
            acc0 = s0.fma(FloatVector.broadcast(F, d0), acc0);
            acc1 = s1.fma(FloatVector.broadcast(F, d1), acc1);
            acc0 = s2.fma(FloatVector.broadcast(F, d2), acc0);
            acc1 = s3.fma(FloatVector.broadcast(F, d3), acc1);
        }
        for (; b < nb; b++, block += BLOCK_BYTES) {
            FloatVector s = blockSum(block, x, xOff + b * BLOCK);
            FloatVector d = FloatVector.broadcast(F, Vectors.f16(data, block));
            if ((b & 1) == 0) acc0 = s.fma(d, acc0);
            else acc1 = s.fma(d, acc1);
        }
        return Vectors.sum(acc0.add(acc1));
    }

    /** {@code Σ q[i]·x[o + i]} over the block at {@code block}, lane-wise, chunks in order. */
    private FloatVector blockSum(long block, float[] x, int o) {
        FloatVector s = FloatVector.zero(F);
        for (int c = 0; c < BLOCK; c += Vectors.CHUNK) s = Vectors.fma(Vectors.load(data, block + 2 + c), x, o + c, s);
        return s;
    }

    /**
     * {@link #dot} for several activation rows, four at a time: each chunk of codes is converted once and used by the
     * four rows, while every row keeps dot's own operations in dot's order (per-block sum, scale FMA into the even or
     * odd accumulator, fixed lane reduction), so each output has exactly dot's bits.
     */
    @Override
    protected void dots(int row, float[] x, int xOff, int batch, float[] out, int outOff, int outStride) {
        int b = 0;
        for (; b + 4 <= batch; b += 4) dot4(row, x, xOff + b * cols, out, outOff + b * outStride, outStride);
        for (; b < batch; b++) out[outOff + b * outStride] = dot(row, x, xOff + b * cols);
    }

    private void dot4(int row, float[] x, int x0, float[] out, int o, int stride) {
        long block = row * rowBytes;
        FloatVector zero = FloatVector.zero(F);
        FloatVector a0e = zero, a0o = zero, a1e = zero, a1o = zero, a2e = zero, a2o = zero, a3e = zero, a3o = zero;
        int nb = cols / BLOCK, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        for (int k = 0; k < nb; k++, block += BLOCK_BYTES) {
            int bo = k * BLOCK;
            FloatVector s0 = zero, s1 = zero, s2 = zero, s3 = zero;
            for (int c = 0; c < BLOCK; c += Vectors.CHUNK) {
                var codes = Vectors.load(data, block + 2 + c);
                for (int p = 0; p < Vectors.PARTS; p++) {
                    FloatVector w = Vectors.toFloats(codes, p);
                    int i = bo + c + p * F.length();
                    s0 = w.fma(FloatVector.fromArray(F, x, x0 + i), s0);
                    s1 = w.fma(FloatVector.fromArray(F, x, x1 + i), s1);
                    s2 = w.fma(FloatVector.fromArray(F, x, x2 + i), s2);
                    s3 = w.fma(FloatVector.fromArray(F, x, x3 + i), s3);
                }
            }
            FloatVector d = FloatVector.broadcast(F, Vectors.f16(data, block));
            if ((k & 1) == 0) {
                a0e = s0.fma(d, a0e);
                a1e = s1.fma(d, a1e);
                a2e = s2.fma(d, a2e);
                a3e = s3.fma(d, a3e);
            } else {
                a0o = s0.fma(d, a0o);
                a1o = s1.fma(d, a1o);
                a2o = s2.fma(d, a2o);
                a3o = s3.fma(d, a3o);
            }
        }
        out[o] = Vectors.sum(a0e.add(a0o));
        out[o + stride] = Vectors.sum(a1e.add(a1o));
        out[o + 2 * stride] = Vectors.sum(a2e.add(a2o));
        out[o + 3 * stride] = Vectors.sum(a3e.add(a3o));
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
