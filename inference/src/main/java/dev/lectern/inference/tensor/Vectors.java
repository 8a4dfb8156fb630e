package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * The vector species the kernels use and the small vector building blocks they share: loading a chunk of byte
 * codes, converting codes to floats (FMA with activations, or scaled stores for dequantization), 16-entry table
 * lookups, bit-field extraction, and the deterministic lane reduction.
 *
 * <p>The species is the platform's preferred one (256-bit on AVX2, 512-bit on AVX-512) unless the system property
 * {@code lectern.vector.bits} (128, 256 or 512; smaller requests are raised to 128) says otherwise; the build runs
 * the tensor tests with each of them. Kernels must be correct for any lane count.
 */
final class Vectors {

    static final VectorShape SHAPE = shape();
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.withShape(SHAPE);
    /**
     * Byte species for code chunks: as many lanes as {@link #F} (one B2F conversion gives one float vector) but at
     * least 8, the smallest byte vector; with 4 float lanes a chunk converts in {@link #PARTS} = 2 parts.
     */
    static final VectorSpecies<Byte> BF = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, F.length() * 8)));
    /** Codes per chunk (8 or 16); every block layout here has a multiple of 16 codes per scale, so chunks never straddle. */
    static final int CHUNK = BF.length();
    static final int PARTS = BF.length() / F.length();

    /** Lane j: j % 8, the bit within its byte of bit field position {@code first + j} (first a multiple of 8). */
    private static final ByteVector BIT_IN_BYTE;
    /** Shuffle for bit field positions {@code [8i, 8i + CHUNK)}: lane j reads byte {@code i + j / 8}. */
    private static final VectorShuffle<Byte>[] BYTE_OF_BIT;

    static {
        byte[] shifts = new byte[CHUNK];
        for (int j = 0; j < CHUNK; j++) shifts[j] = (byte) (j % 8);
        BIT_IN_BYTE = ByteVector.fromArray(BF, shifts, 0);
        @SuppressWarnings("unchecked")
        VectorShuffle<Byte>[] shuffles = new VectorShuffle[4];
        for (int i = 0; i < 4; i++) {
            int[] idx = new int[CHUNK];
            for (int j = 0; j < CHUNK; j++) idx[j] = Math.min(CHUNK - 1, i + j / 8);
            shuffles[i] = VectorShuffle.fromArray(BF, idx, 0);
        }
        BYTE_OF_BIT = shuffles;
    }

    /**
     * Bits {@code first .. first + CHUNK} (0 or 1 per lane) of the little-endian 32-bit field whose bytes start
     * the vector {@code field} (Q5_0 / Q5_1 fifth bits); {@code first} is a multiple of 8 below 32.
     */
    static ByteVector bits(ByteVector field, int first) {
        return field.rearrange(BYTE_OF_BIT[first / 8]).lanewise(VectorOperators.LSHR, BIT_IN_BYTE).and((byte) 1);
    }

    private Vectors() {}

    private static VectorShape shape() {
        String bits = System.getProperty("lectern.vector.bits");
        VectorShape shape = bits == null || bits.isBlank() ? VectorShape.preferredShape() : VectorShape.forBitSize(Integer.parseInt(bits.trim()));
        // Kernels convert 16 bytes at a time into whole float vectors, so they need 4 to 16 float lanes.
        if (shape.vectorBitSize() < 128) shape = VectorShape.S_128_BIT;
        return shape;
    }

    /** {@link #CHUNK} bytes at {@code offset}. */
    static ByteVector load(MemorySegment seg, long offset) {
        return ByteVector.fromMemorySegment(BF, seg, offset, ByteOrder.LITTLE_ENDIAN);
    }

    /** {@link #CHUNK} bytes at {@code offset} of a heap array. */
    static ByteVector load(byte[] bytes, int offset) {
        return ByteVector.fromArray(BF, bytes, offset);
    }

    private static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_64;

    /**
     * The little-endian half-precision value at {@code offset} (a block scale), as a float. It is read through an
     * 8-byte vector load rather than a scalar {@code MemorySegment.get}: in the decode loops the scalar read (with
     * its bounds and alignment checks) cost as much as the rest of the block, the vector load is nearly free.
     * Needs 8 readable bytes from {@code offset}, which every block that starts with its scale has.
     */
    static float f16(MemorySegment seg, long offset) {
        return Float.float16ToFloat(ByteVector.fromMemorySegment(B64, seg, offset, ByteOrder.LITTLE_ENDIAN).reinterpretAsShorts().lane(0));
    }

    /** Part {@code part} (of {@link #PARTS}) of a chunk of signed byte codes, as floats. */
    static FloatVector toFloats(ByteVector codes, int part) {
        return (FloatVector) codes.convertShape(VectorOperators.B2F, F, part);
    }

    /** {@code acc + codes[i] * x[xo + i]} lane-wise over a chunk of signed byte codes. */
    static FloatVector fma(ByteVector codes, float[] x, int xo, FloatVector acc) {
        for (int p = 0; p < PARTS; p++) acc = toFloats(codes, p).fma(FloatVector.fromArray(F, x, xo + p * F.length()), acc);
        return acc;
    }

    /** {@code acc + x[xo + i]} over a chunk. */
    static FloatVector sum(float[] x, int xo, FloatVector acc) {
        for (int p = 0; p < PARTS; p++) acc = acc.add(FloatVector.fromArray(F, x, xo + p * F.length()));
        return acc;
    }

    /** {@code dst[o + i] = codes[i] * scale} over a chunk: the same float operation as the scalar definition. */
    static void store(ByteVector codes, float scale, float[] dst, int o) {
        for (int p = 0; p < PARTS; p++) toFloats(codes, p).mul(scale).intoArray(dst, o + p * F.length());
    }

    /** {@code dst[o + i] = codes[i] * scale - min} over a chunk (K-quant affine form, unfused as in ggml). */
    static void store(ByteVector codes, float scale, float min, float[] dst, int o) {
        for (int p = 0; p < PARTS; p++) toFloats(codes, p).mul(scale).sub(min).intoArray(dst, o + p * F.length());
    }

    /**
     * A 16-entry byte table for {@link #lookup}: with 16-lane chunks one vector, otherwise its two halves
     * (each repeated to the chunk length).
     */
    record Table16(ByteVector all, ByteVector low, ByteVector high) {
        static Table16 of(byte[] table) {
            if (CHUNK == 16) return new Table16(ByteVector.fromArray(BF, table, 0), null, null);
            byte[] lo = new byte[CHUNK], hi = new byte[CHUNK];
            for (int i = 0; i < CHUNK; i++) {
                lo[i] = table[i % 8];
                hi[i] = table[8 + i % 8];
            }
            return new Table16(null, ByteVector.fromArray(BF, lo, 0), ByteVector.fromArray(BF, hi, 0));
        }
    }

    /** {@code table[codes[i]]} for 4-bit codes: one shuffle, or two 8-entry shuffles blended on bit 3. */
    static ByteVector lookup(ByteVector codes, Table16 table) {
        if (table.all() != null) return codes.selectFrom(table.all());
        ByteVector idx = codes.and((byte) 7);
        return idx.selectFrom(table.low()).blend(idx.selectFrom(table.high()), codes.and((byte) 8).compare(VectorOperators.NE, 0));
    }


    private static final VectorSpecies<Float> F256 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Float> F128 = FloatVector.SPECIES_128;

    /**
     * The sum of the lanes by a fixed pairwise tree (lane i + lane i+n/2, ...). {@code reduceLanes(ADD)} is not
     * used because its order differs between the interpreter and compiled code, which would make results depend
     * on JIT timing, and so on the thread that happened to compute them. The tree is taken by adding the low and
     * high halves of the vector (one extract and one add per level: a {@code slice} per level compiled to a
     * shuffle-index build, permute and blend, which cost more than a short row's dot product).
     */
    static float sum(FloatVector v) {
        if (v.length() == 16) v = ((FloatVector) v.reinterpretShape(F256, 0)).add((FloatVector) v.reinterpretShape(F256, 1));
        if (v.length() == 8) v = ((FloatVector) v.reinterpretShape(F128, 0)).add((FloatVector) v.reinterpretShape(F128, 1));
        return (v.lane(0) + v.lane(2)) + (v.lane(1) + v.lane(3));
    }

    /**
     * {@link #sum(FloatVector)} of the vector stored at {@code lanes[off ..]}, by the same tree in scalar steps
     * (bit-identical); overwrites the lanes.
     */
    static float sum(float[] lanes, int off) {
        for (int w = F.length() / 2; w > 0; w /= 2) {
            for (int i = 0; i < w; i++) lanes[off + i] += lanes[off + i + w];
        }
        return lanes[off];
    }
}
