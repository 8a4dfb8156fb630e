package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

import static dev.lectern.inference.tensor.Vectors.F;

/**
 * Q4_0: blocks of 32 values in 18 bytes: a half-precision scale {@code d}, then 16 bytes of 4-bit codes. Byte
 * {@code j} holds value {@code j} in its low nibble and value {@code j + 16} in its high nibble; a value is
 * {@code (nibble - 8) * d}.
 */
final class Q4_0Matrix extends Matrix {

    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 18;

    Q4_0Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q4_0, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int o = dstOff; o < dstOff + cols; o += BLOCK, block += BLOCK_BYTES) {
            float d = f16(block);
            for (int c = 0; c < 16; c += Vectors.CHUNK) {
                ByteVector q = Vectors.load(data, block + 2 + c);
                Vectors.store(q.and((byte) 0xF).sub((byte) 8), d, dst, o + c);
                Vectors.store(q.lanewise(VectorOperators.LSHR, 4).sub((byte) 8), d, dst, o + 16 + c);
            }
        }
    }

    private static final VectorSpecies<Integer> I = F.withLanes(int.class);

    /*
     * Nibble to float without a conversion instruction: OR-ing a 4-bit code into the low mantissa bits of a large
     * power of two gives an exact float, and subtracting that power of two plus 8 ulps leaves (code - 8) ulps exactly.
     * The low nibble sits in bits 0-3 (ulp 256 at 2^31), the high nibble where it already is, in bits 4-7 (ulp 16 at
     * 2^27), so both come out as 256 * (code - 8) with one AND-OR each (one vpternlogd on AVX-512) and no shift.
     */
    private static final int LOW_BITS = 0x4F000000;   // 2^31
    private static final int HIGH_BITS = 0x4D000000;  // 2^27
    private static final float LOW_OFFSET = 0x1p31f + 256 * 8;
    private static final float HIGH_OFFSET = 0x1p27f + 256 * 8;
    /** Undoes the factor 256 of the codes above: a power of two, so it changes no rounding. */
    private static final float UNSCALE = 0x1p-8f;

    /**
     * Per block, {@code Σ (code - 8)·x} in a vector (low nibbles first, then high), scaled by {@code d} into one of
     * two accumulators that alternate between blocks. The codes are worked on as {@code 256 * (code - 8)} (see
     * above), which scales every intermediate by an exact power of two, so the result has the same bits as with
     * unscaled codes (short of the subnormal range).
     *
     * <p>The loop is deliberately a plain counted loop over single blocks with no branch (the accumulators swap
     * instead of an even/odd test): C2 then unrolls it and hoists the segment's bounds, liveness and type checks out
     * of it. With an even/odd branch in the body it did neither reliably, and whether it hoisted the checks depended
     * on the profile at compile time, which made the same code run 1.5× slower in some JVMs than in others. The
     * block sum stays in this method rather than in a helper returning a vector: if C2 compiled such a helper on its
     * own first, it could refuse to inline it here, and the vectors crossing the call would be boxed.
     * {@link #tile1x4} repeats this arithmetic operation for operation for several activation rows; a change here
     * must be made there too ({@code BatchInvariantMatmulTest} compares their bits).
     */
    @Override
    public float dot(int row, float[] x, int xOff) {
        MemorySegment seg = data;
        long base = row * rowBytes;
        int nb = cols / BLOCK, step = F.length();
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        for (int b = 0; b < nb; b++) {
            long block = base + (long) b * BLOCK_BYTES;
            int o = xOff + b * BLOCK;
            // 256 · Σ (code - 8)·x over the block, lane-wise: per chunk, the low nibbles, then the high ones.
            FloatVector s = FloatVector.zero(F);
            for (int c = 0; c < 16; c += Vectors.CHUNK) {
                ByteVector q = Vectors.load(seg, block + 2 + c);
                for (int p = 0; p < Vectors.PARTS; p++) {
                    IntVector v = (IntVector) q.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                    FloatVector lo = v.and(0xF).or(LOW_BITS).reinterpretAsFloats().sub(LOW_OFFSET);
                    s = lo.fma(FloatVector.fromArray(F, x, o + c + p * step), s);
                }
                for (int p = 0; p < Vectors.PARTS; p++) {
                    IntVector v = (IntVector) q.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                    FloatVector hi = v.and(0xF0).or(HIGH_BITS).reinterpretAsFloats().sub(HIGH_OFFSET);
                    s = hi.fma(FloatVector.fromArray(F, x, o + 16 + c + p * step), s);
                }
            }
            FloatVector t = s.fma(FloatVector.broadcast(F, Float.float16ToFloat(seg.get(LE_SHORT, block))), acc0);
            acc0 = acc1;
            acc1 = t;
        }
        return Vectors.sum(acc0.add(acc1)) * UNSCALE;
    }

    /**
     * The batch-invariant product: {@link #dot}'s arithmetic for every output. Activation rows go through in groups
     * of eight, then one group of four ({@link StagedRows}, {@link #tile1x4}: each block's codes are turned into float
     * vectors once for four activation rows, from staged weights and interleaved activations), the rest through
     * {@link #dot}. Before, a batch ran {@link #dot} per activation row, and batched decode of a Q4_0 model was no
     * faster than one sequence at a time.
     */
    @Override
    protected void invariantRows(float[] x, int xOff, int batch, float[] out, int outOff, int rowStart, int rowEnd) {
        int octets = cols / BLOCK % 2 == 0 ? batch / 8 : 0;
        for (int g = 0; g < octets; g++) {
            StagedRows.product(this, BlockScales.Q4_0, 8, 4, TILE, UNSCALE, x, xOff + 8 * g * cols, out, outOff + 8 * g * rows, rowStart, rowEnd);
        }
        int done = 8 * octets;
        if (batch - done >= 4 && cols / BLOCK % 2 == 0) {
            StagedRows.product(this, BlockScales.Q4_0, 4, 4, TILE, UNSCALE, x, xOff + done * cols, out, outOff + done * rows, rowStart, rowEnd);
            done += 4;
        }
        for (int r = rowStart; r < rowEnd; r++) {
            for (int b = done; b < batch; b++) out[outOff + b * rows + r] = dot(r, x, xOff + b * cols);
        }
    }

    /** The staged kernel on one chunk: {@link #tile1x4} for each four activation rows of the group. */
    private static final StagedRows.Tile TILE = (st, group, count, k0, k1) -> {
        for (int quad = 0; quad < group / 4; quad++) tile1x4(st, group, quad, count, k0, k1);
    };

    /** Float vectors per block. */
    private static final int VECTORS = BLOCK / F.length();

    /**
     * Blocks {@code [k0, k1)} of the {@code count} staged rows against activation rows {@code 4·quad .. 4·quad + 3}
     * of the interleaved group, in {@link #dot}'s order: per block and activation row, the sum over its codes in a
     * vector ({@code s}), then one FMA with the block's scale into the accumulator of the block's parity. Per row,
     * the 8 accumulators (e0..e3 for even blocks, o0..o3 for odd ones; they swap after every block, as in
     * {@link #dot}, and chunks hold an even number of blocks) are loaded and stored back.
     */
    private static void tile1x4(StagedRows st, int group, int quad, int count, int k0, int k1) {
        int rb = st.rowBytes, blocksPerRow = st.blocksPerRow, n = F.length(), first = 4 * quad;
        int xb = st.base + quad * 4 * st.cols;
        byte[] blocks = st.blocks;
        float[] scales = st.scales, xp = st.activations, acc = st.accumulators;
        FloatVector zero = FloatVector.zero(F);
        for (int row = 0; row < count; row++) {
            int even = (row * 2 * group + first) * n, odd = even + group * n;
            FloatVector e0 = FloatVector.fromArray(F, acc, even), e1 = FloatVector.fromArray(F, acc, even + n);
            FloatVector e2 = FloatVector.fromArray(F, acc, even + 2 * n), e3 = FloatVector.fromArray(F, acc, even + 3 * n);
            FloatVector o0 = FloatVector.fromArray(F, acc, odd), o1 = FloatVector.fromArray(F, acc, odd + n);
            FloatVector o2 = FloatVector.fromArray(F, acc, odd + 2 * n), o3 = FloatVector.fromArray(F, acc, odd + 3 * n);
            for (int pair = k0 / 2; pair < k1 / 2; pair++) {
              for (int h = 0; h < 2; h++) {
                int k = 2 * pair + h, b = row * rb + k * BLOCK_BYTES + 2;
                FloatVector s0 = zero, s1 = zero, s2 = zero, s3 = zero;
                for (int c = 0; c < 16; c += Vectors.CHUNK) {
                    ByteVector q = Vectors.load(blocks, b + c);
                    for (int p = 0; p < Vectors.PARTS; p++) {
                        IntVector v = (IntVector) q.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        FloatVector lo = v.and(0xF).or(LOW_BITS).reinterpretAsFloats().sub(LOW_OFFSET);
                        int i = xb + (k * VECTORS + (c + p * n) / n) * 4 * n;
                        s0 = lo.fma(FloatVector.fromArray(F, xp, i), s0);
                        s1 = lo.fma(FloatVector.fromArray(F, xp, i + n), s1);
                        s2 = lo.fma(FloatVector.fromArray(F, xp, i + 2 * n), s2);
                        s3 = lo.fma(FloatVector.fromArray(F, xp, i + 3 * n), s3);
                    }
                    for (int p = 0; p < Vectors.PARTS; p++) {
                        IntVector v = (IntVector) q.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        FloatVector hi = v.and(0xF0).or(HIGH_BITS).reinterpretAsFloats().sub(HIGH_OFFSET);
                        int i = xb + (k * VECTORS + (16 + c + p * n) / n) * 4 * n;
                        s0 = hi.fma(FloatVector.fromArray(F, xp, i), s0);
                        s1 = hi.fma(FloatVector.fromArray(F, xp, i + n), s1);
                        s2 = hi.fma(FloatVector.fromArray(F, xp, i + 2 * n), s2);
                        s3 = hi.fma(FloatVector.fromArray(F, xp, i + 3 * n), s3);
                    }
                }
                FloatVector d = FloatVector.broadcast(F, scales[row * blocksPerRow + k]);
                FloatVector t0 = s0.fma(d, e0), t1 = s1.fma(d, e1), t2 = s2.fma(d, e2), t3 = s3.fma(d, e3);
                e0 = o0;
                e1 = o1;
                e2 = o2;
                e3 = o3;
                o0 = t0;
                o1 = t1;
                o2 = t2;
                o3 = t3;
              }
            }
            e0.intoArray(acc, even);
            e1.intoArray(acc, even + n);
            e2.intoArray(acc, even + 2 * n);
            e3.intoArray(acc, even + 3 * n);
            o0.intoArray(acc, odd);
            o1.intoArray(acc, odd + n);
            o2.intoArray(acc, odd + 2 * n);
            o3.intoArray(acc, odd + 3 * n);
        }
    }

    /**
     * ggml's reference quantization ({@code quantize_row_q4_0_ref}): the value of largest magnitude maps to code 0,
     * {@code d = max / -8}, codes are {@code min(15, trunc(x / d + 8.5))}.
     */
    static void quantize(float[] src, int off, int n, MemorySegment dst, long dstOff) {
        for (int b = 0; b < n / BLOCK; b++, dstOff += BLOCK_BYTES) {
            int o = off + b * BLOCK;
            float amax = 0, max = 0;
            for (int i = 0; i < BLOCK; i++) {
                if (amax < Math.abs(src[o + i])) {
                    amax = Math.abs(src[o + i]);
                    max = src[o + i];
                }
            }
            float d = max / -8;
            float id = d != 0 ? 1 / d : 0;
            dst.set(LE_SHORT, dstOff, Float.floatToFloat16(d));
            for (int j = 0; j < 16; j++) {
                int lo = Math.min(15, (int) (src[o + j] * id + 8.5f));
                int hi = Math.min(15, (int) (src[o + 16 + j] * id + 8.5f));
                dst.set(BYTE, dstOff + 2 + j, (byte) (lo | (hi << 4)));
            }
        }
    }
}
