package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

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

    /**
     * With 16 float lanes (512-bit vectors) a block's 16 code bytes widen to one int vector, and each nibble indexes
     * a 16-entry table of float bits in one lane permute: no byte shifts (which x86 lacks) and no int-to-float
     * conversion. Narrower species take the byte-table path.
     */
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    private static final boolean WIDE = I.length() == 16;
    /** The E2M1 values themselves ({@link #LEVELS} / 2) as float bits; the wide path's scale is 2^(e-127) to match. */
    private static final IntVector E2M1_BITS = e2m1Bits();

    private static IntVector e2m1Bits() {
        int[] bits = new int[I.length()];
        for (int i = 0; i < bits.length; i++) bits[i] = Float.floatToRawIntBits(LEVELS[i % 16] * 0.5f);
        return IntVector.fromArray(I, bits, 0);
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        MemorySegment seg = data;
        long base = row * rowBytes;
        if (WIDE) {
            // (LEVELS/2)·2^(e-127): the same exact products as LEVELS·2^(e-128), so still ggml's bits.
            for (int b = 0; b < cols / 32; b++) {
                long block = base + (long) b * 17;
                int o = dstOff + b * 32;
                IntVector q = (IntVector) Vectors.load(seg, block + 1).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                FloatVector d = wideScale(seg, block);
                q.selectFrom(E2M1_BITS).reinterpretAsFloats().mul(d).intoArray(dst, o);
                q.lanewise(VectorOperators.LSHR, 4).selectFrom(E2M1_BITS).reinterpretAsFloats().mul(d).intoArray(dst, o + 16);
            }
            return;
        }
        long block = base;
        for (int o = dstOff; o < dstOff + cols; o += 32, block += 17) {
            float d = halfScale(u8(block));
            for (int c = 0; c < 16; c += Vectors.CHUNK) {
                ByteVector q = Vectors.load(data, block + 1 + c);
                Vectors.store(levels(q.and((byte) 0xF)), d, dst, o + c);
                Vectors.store(levels(q.lanewise(VectorOperators.LSHR, 4)), d, dst, o + 16 + c);
            }
        }
    }

    /**
     * {@code Σ level·x} per block in a vector, scaled by the block's power of two into even/odd accumulators. The
     * wide path computes {@code Σ (level/2)·x · 2^(e-127)}: the same value, both factors exact powers-of-two apart.
     * The loop is counted and branch-free (the two accumulators swap roles each block instead of a parity test;
     * block offsets derive from the loop index), which lets C2 unroll it and hoist the bounds checks: with the
     * parity branch the same kernel's speed depended on how the JIT happened to compile it (13 vs 16 GB/s).
     */
    @Override
    public float dot(int row, float[] x, int xOff) {
        MemorySegment seg = data;
        long base = row * rowBytes;
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        int nb = cols / 32;
        for (int b = 0; b < nb; b++) {
            long block = base + (long) b * 17;
            int o = xOff + b * 32;
            FloatVector s = WIDE ? wideBlockSum(seg, block, x, o) : blockSum(block, x, o);
            FloatVector d = WIDE ? wideScale(seg, block) : FloatVector.broadcast(F, halfScale(u8(block)));
            FloatVector t = s.fma(d, acc0);
            acc0 = acc1;
            acc1 = t;
        }
        return Vectors.sum(acc0.add(acc1));
    }

    /** {@code Σ LEVELS[q]·x[o + i]} over the block at {@code block}, lane-wise, chunks in order. */
    private FloatVector blockSum(long block, float[] x, int o) {
        FloatVector s = FloatVector.zero(F);
        for (int c = 0; c < 16; c += Vectors.CHUNK) {
            ByteVector q = Vectors.load(data, block + 1 + c);
            s = Vectors.fma(levels(q.and((byte) 0xF)), x, o + c, s);
            s = Vectors.fma(levels(q.lanewise(VectorOperators.LSHR, 4)), x, o + 16 + c, s);
        }
        return s;
    }

    /**
     * {@code Σ (LEVELS[q]/2)·x[o + i]} with 16 lanes: low nibbles (values 0..15), then high nibbles (16..31).
     * {@code selectFrom} wraps its indices to 0..15, so the low nibble needs no mask of its own.
     */
    private static FloatVector wideBlockSum(MemorySegment seg, long block, float[] x, int o) {
        IntVector q = (IntVector) Vectors.load(seg, block + 1).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
        FloatVector s = q.selectFrom(E2M1_BITS).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, o), FloatVector.zero(F));
        return q.lanewise(VectorOperators.LSHR, 4).selectFrom(E2M1_BITS).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, o + 16), s);
    }

    /**
     * {@code 2^(e-127)} in every lane, built in vector registers from the block's first four bytes (a broadcast
     * load): {@code e << 23} is its float bits for {@code e >= 1}, and {@code e = 0} gives the subnormal 2^-127.
     * Going through a scalar byte read, a compare and a register move cost more than the rest of the block.
     */
    private static FloatVector wideScale(MemorySegment seg, long block) {
        IntVector v = IntVector.broadcast(I, seg.get(LE_INT, block));
        return v.lanewise(VectorOperators.LSHL, 24).lanewise(VectorOperators.LSHR, 1).max(0x00400000).reinterpretAsFloats();
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
