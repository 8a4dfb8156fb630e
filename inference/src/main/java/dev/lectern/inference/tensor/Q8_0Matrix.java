package dev.lectern.inference.tensor;

import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static dev.lectern.inference.tensor.Vectors.F;

/**
 * Q8_0: blocks of 32 values in 34 bytes: a half-precision scale {@code d}, then 32 signed bytes {@code q};
 * value {@code i} is {@code q[i] * d}.
 */
final class Q8_0Matrix extends RepackedMatrix {

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
     * offsets derived from the block index, and for the 512- and 256-bit species (chunks of 16 or 8 codes, one
     * float vector each) straight-line code written out here. Variants that measured slower on weights streamed
     * from a mapped file: a helper per half block returning a vector (C2 may leave it out of line, which boxes every
     * vector it returns), a counter over pairs (fast on anonymous memory, 30 % slower on the mapped file), the
     * chunks of a block as an inner loop (30 % slower at 256 bits).
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
            } else if (EIGHT) {
                s0 = Vectors.toFloats(Vectors.load(data, b0 + 2), 0).fma(FloatVector.fromArray(F, x, o0), FloatVector.zero(F));
                s0 = Vectors.toFloats(Vectors.load(data, b0 + 10), 0).fma(FloatVector.fromArray(F, x, o0 + 8), s0);
                s0 = Vectors.toFloats(Vectors.load(data, b0 + 18), 0).fma(FloatVector.fromArray(F, x, o0 + 16), s0);
                s0 = Vectors.toFloats(Vectors.load(data, b0 + 26), 0).fma(FloatVector.fromArray(F, x, o0 + 24), s0);
                s1 = Vectors.toFloats(Vectors.load(data, b0 + 36), 0).fma(FloatVector.fromArray(F, x, o0 + 32), FloatVector.zero(F));
                s1 = Vectors.toFloats(Vectors.load(data, b0 + 44), 0).fma(FloatVector.fromArray(F, x, o0 + 40), s1);
                s1 = Vectors.toFloats(Vectors.load(data, b0 + 52), 0).fma(FloatVector.fromArray(F, x, o0 + 48), s1);
                s1 = Vectors.toFloats(Vectors.load(data, b0 + 60), 0).fma(FloatVector.fromArray(F, x, o0 + 56), s1);
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
    /** Chunks of 8 codes, each one float vector (256-bit species, AVX2): written out too (with the chunk loop, 30 % slower). */
    private static final boolean EIGHT = Vectors.CHUNK == 8 && Vectors.PARTS == 1;

    /**
     * The batch-invariant product runs on {@link Q8_0Panels}: every output is the sequential F32 dot product of the
     * dequantized weight row with the activation row, one FMA per column in order, whatever the batch. Before the
     * panels, it read the row-major blocks (from a staging copy for groups of activation rows), and a batch of 8 ran
     * about half as fast per FLOP.
     */
    @Override
    RowPanels<?> repack() {
        return Q8_0Panels.repack(data, rows, cols);
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
