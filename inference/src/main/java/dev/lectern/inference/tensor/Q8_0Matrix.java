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
     * The loop takes a pair of blocks per iteration, two independent chains the CPU overlaps.
     *
     * <p>The loop's shape was chosen by measurement on mapped model files, where C2's output is sensitive to it:
     * offsets derived from the block index, and with 16-code chunks (512-bit species) straight-line code written
     * out here. Variants that measured slower on weights streamed from a mapped file: a helper per half block
     * returning a vector (C2 may leave it out of line, which boxes every vector it returns), a counter over pairs
     * (fast on anonymous memory, 30 % slower on the mapped file), the chunks of a block as an inner loop.
     * {@link #dot4} relies on the order of operations here.
     */
    @Override
    public float dot(int row, float[] x, int xOff) {
        MemorySegment data = this.data;
        long base = row * rowBytes;
        int nb = cols / BLOCK, b = 0;
        FloatVector zero = FloatVector.zero(F), even = zero, odd = zero;
        for (; b + 2 <= nb; b += 2) {
            long b0 = base + (long) b * BLOCK_BYTES;
            int o0 = xOff + b * BLOCK;
            FloatVector d0 = FloatVector.broadcast(F, Vectors.f16(data, b0));
            FloatVector d1 = FloatVector.broadcast(F, Vectors.f16(data, b0 + BLOCK_BYTES));
            FloatVector s0, s1;
            if (WIDE) {
                s0 = Vectors.toFloats(Vectors.load(data, b0 + 2), 0).fma(FloatVector.fromArray(F, x, o0), FloatVector.zero(F));
                s0 = Vectors.toFloats(Vectors.load(data, b0 + 18), 0).fma(FloatVector.fromArray(F, x, o0 + 16), s0);
                s1 = Vectors.toFloats(Vectors.load(data, b0 + 36), 0).fma(FloatVector.fromArray(F, x, o0 + 32), FloatVector.zero(F));
                s1 = Vectors.toFloats(Vectors.load(data, b0 + 52), 0).fma(FloatVector.fromArray(F, x, o0 + 48), s1);
            } else {
                long b1 = b0 + BLOCK_BYTES;
                int o1 = o0 + BLOCK;
                s0 = zero;
                s1 = zero;
                for (int c = 0; c < BLOCK; c += Vectors.CHUNK) {
                    var codes = Vectors.load(data, b0 + 2 + c);
                    for (int part = 0; part < Vectors.PARTS; part++) {
                        s0 = Vectors.toFloats(codes, part).fma(FloatVector.fromArray(F, x, o0 + c + part * F.length()), s0);
                    }
                }
                for (int c = 0; c < BLOCK; c += Vectors.CHUNK) {
                    var codes = Vectors.load(data, b1 + 2 + c);
                    for (int part = 0; part < Vectors.PARTS; part++) {
                        s1 = Vectors.toFloats(codes, part).fma(FloatVector.fromArray(F, x, o1 + c + part * F.length()), s1);
                    }
                }
            }
            even = s0.fma(d0, even);
            odd = s1.fma(d1, odd);
        }
        if (b < nb) {
            long b0 = base + (long) b * BLOCK_BYTES;
            int o = xOff + b * BLOCK;
            FloatVector s = zero;
            for (int c = 0; c < BLOCK; c += Vectors.CHUNK) {
                var codes = Vectors.load(data, b0 + 2 + c);
                for (int part = 0; part < Vectors.PARTS; part++) {
                    s = Vectors.toFloats(codes, part).fma(FloatVector.fromArray(F, x, o + c + part * F.length()), s);
                }
            }
            even = s.fma(FloatVector.broadcast(F, Vectors.f16(data, b0)), even);
        }
        return Vectors.sum(even.add(odd));
    }

    /** Chunks of 16 codes, each one float vector (512-bit species): {@link #dot}'s straight-line path. */
    private static final boolean WIDE = Vectors.CHUNK == 16 && Vectors.PARTS == 1;

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
