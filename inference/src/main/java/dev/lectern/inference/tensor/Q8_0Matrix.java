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
     * <p>The shape of this loop matters as much as its arithmetic: the counter runs over pairs, every offset is
     * derived from it, and the body is straight-line code (see {@link #halfBlock}). C2 then hoists the activation
     * bounds checks out of the loop and keeps everything in registers; with running offsets, or with the chunks of
     * a block as an inner loop (unrolled only after the outer loop is optimized), the same arithmetic streamed
     * weights 30-40 % slower. {@link #dot4} relies on the order of operations here.
     */
    @Override
    public float dot(int row, float[] x, int xOff) {
        MemorySegment data = this.data;
        long base = row * rowBytes;
        int nb = cols / BLOCK, pairs = nb / 2;
        FloatVector even = FloatVector.zero(F), odd = FloatVector.zero(F);
        for (int p = 0; p < pairs; p++) {
            long b0 = base + (long) p * (2 * BLOCK_BYTES), b1 = b0 + BLOCK_BYTES;
            int o = xOff + p * (2 * BLOCK);
            FloatVector d0 = FloatVector.broadcast(F, Vectors.f16(data, b0));
            FloatVector d1 = FloatVector.broadcast(F, Vectors.f16(data, b1));
            FloatVector s0 = halfBlock(data, b0 + 2, x, o, FloatVector.zero(F));
            s0 = halfBlock(data, b0 + 2 + HALF, x, o + HALF, s0);
            FloatVector s1 = halfBlock(data, b1 + 2, x, o + BLOCK, FloatVector.zero(F));
            s1 = halfBlock(data, b1 + 2 + HALF, x, o + BLOCK + HALF, s1);
            even = s0.fma(d0, even);
            odd = s1.fma(d1, odd);
        }
        if (nb % 2 != 0) {
            long b = base + (long) (nb - 1) * BLOCK_BYTES;
            int o = xOff + (nb - 1) * BLOCK;
            FloatVector s = halfBlock(data, b + 2, x, o, FloatVector.zero(F));
            s = halfBlock(data, b + 2 + HALF, x, o + HALF, s);
            even = s.fma(FloatVector.broadcast(F, Vectors.f16(data, b)), even);
        }
        return Vectors.sum(even.add(odd));
    }

    /** Codes per {@link #halfBlock}. */
    private static final int HALF = 16;

    /**
     * {@code acc + q[i]·x[xo + i]} lane-wise over the 16 codes at {@code off}, in chunk order. Written with branches
     * on the species constants rather than a loop over chunks, so that it is straight-line code when C2 parses it.
     */
    private static FloatVector halfBlock(MemorySegment data, long off, float[] x, int xo, FloatVector acc) {
        if (Vectors.CHUNK == 16 && Vectors.PARTS == 1) {
            return Vectors.toFloats(Vectors.load(data, off), 0).fma(FloatVector.fromArray(F, x, xo), acc);
        }
        if (Vectors.CHUNK == 8 && Vectors.PARTS == 1) {
            acc = Vectors.toFloats(Vectors.load(data, off), 0).fma(FloatVector.fromArray(F, x, xo), acc);
            return Vectors.toFloats(Vectors.load(data, off + 8), 0).fma(FloatVector.fromArray(F, x, xo + 8), acc);
        }
        // 128-bit species: chunks of 8 codes, each converted in two parts of 4 floats.
        var c0 = Vectors.load(data, off);
        acc = Vectors.toFloats(c0, 0).fma(FloatVector.fromArray(F, x, xo), acc);
        acc = Vectors.toFloats(c0, 1).fma(FloatVector.fromArray(F, x, xo + 4), acc);
        var c1 = Vectors.load(data, off + 8);
        acc = Vectors.toFloats(c1, 0).fma(FloatVector.fromArray(F, x, xo + 8), acc);
        return Vectors.toFloats(c1, 1).fma(FloatVector.fromArray(F, x, xo + 12), acc);
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
