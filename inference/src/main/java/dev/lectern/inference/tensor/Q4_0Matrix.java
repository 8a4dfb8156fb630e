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
final class Q4_0Matrix extends RepackedMatrix {

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
     * The batch-invariant product runs on {@link Q4_0Panels}: activations rounded to 8 bits per block as llama.cpp
     * rounds them, exact integer sums per block, then one FMA per block with the two scales. On one core and a
     * 2048 × 2048 matrix: 74 GFLOP/s on one sequence and 79 on 8, against 37 and 51–59 for the float panels before
     * it (and 50 and 62 for the staged row-major kernel before those).
     */
    @Override
    RowPanels<?> repack() {
        return Q4_0Panels.repack(data, rows, cols);
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
