package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import static dev.lectern.inference.tensor.Vectors.F;

/**
 * The half-precision scales that open consecutive blocks of a fixed size (Q8_0: 34 bytes, Q4_0: 18) in a heap
 * array, as floats: what {@link StagedRows} does to every staged row before its kernel runs.
 *
 * <p>One by one, a scale costs a load, a conversion and a store, about 7 % of a batch-8 decode step of
 * Llama-3.2-1B Q8_0 on one core. With 512-bit vectors (AVX-512, which has two-table 16-bit permutes), 16 scales at
 * a time are picked out of the blocks with {@code selectFrom(v1, v2)} (each pair of short vectors holds the
 * scales of 4 Q8_0 or 8 Q4_0 blocks) and widened to floats with integer operations ({@link #halvesToFloats}, which
 * {@link Q8_0Panels} also uses). The result equals {@link Float#float16ToFloat} bit for bit
 * ({@code BlockScalesTest} checks every one of the 65,536 halves). Elsewhere the scalar loop runs: without
 * those permutes the vector code would not be compiled to them.
 */
final class BlockScales {

    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_512;
    /** Whether the vector path runs: 16 float lanes and 512-bit short vectors (AVX-512 BW) in use. */
    static final boolean VECTOR = F.length() == 16 && ShortVector.SPECIES_PREFERRED.vectorBitSize() == 512;

    private final int blockBytes;
    /** Blocks whose scales one pair of short vectors (64 shorts) covers, and the pairs per 16 blocks. */
    private final int perWindow, windows;
    /** Per window (2 or 4): lane j (block j of 16) → the index of its scale among the window's 64 shorts. */
    private final ShortVector index0, index1, index2, index3;
    /** Per window but the first: the lanes of its blocks. */
    private final VectorMask<Short> lanes1, lanes2, lanes3;

    static final BlockScales Q8_0 = new BlockScales(34);
    static final BlockScales Q4_0 = new BlockScales(18);

    @SuppressWarnings("unchecked")
    private BlockScales(int blockBytes) {
        this.blockBytes = blockBytes;
        int stride = blockBytes / 2;
        this.perWindow = Math.min(16, 63 / stride + 1);
        this.windows = (16 + perWindow - 1) / perWindow;
        if (windows != 2 && windows != 4) throw new IllegalArgumentException("no plan for blocks of " + blockBytes + " bytes");
        ShortVector[] index = new ShortVector[4];
        VectorMask<Short>[] lanes = new VectorMask[4];
        for (int w = 0; w < 4; w++) {
            short[] idx = new short[S.length()];
            boolean[] mine = new boolean[S.length()];
            for (int j = w * perWindow; j < Math.min(16, (w + 1) * perWindow); j++) {
                idx[j] = (short) ((j - w * perWindow) * stride);
                mine[j] = true;
            }
            index[w] = ShortVector.fromArray(S, idx, 0);
            lanes[w] = VectorMask.fromArray(S, mine, 0);
        }
        index0 = index[0];
        index1 = index[1];
        index2 = index[2];
        index3 = index[3];
        lanes1 = lanes[1];
        lanes2 = lanes[2];
        lanes3 = lanes[3];
    }

    /** {@code dst[i] = } the scale of block {@code i} of {@code bytes} (blocks from offset 0), for {@code i < count}. */
    void convert(byte[] bytes, int count, float[] dst) {
        int i = 0;
        if (VECTOR) {
            for (; i + 16 <= count; i += 16) sixteen(bytes, i * blockBytes, dst, i);
        }
        for (int b = i * blockBytes; i < count; i++, b += blockBytes) dst[i] = Float.float16ToFloat((short) SHORTS.get(bytes, b));
    }

    /**
     * The scales of the 16 blocks from byte {@code at} into {@code dst[d ..]}. Every load stays within those blocks:
     * the last window starts at most {@code 16 - perWindow} blocks in and reads 128 bytes, no more than
     * {@code perWindow} blocks hold.
     */
    private void sixteen(byte[] bytes, int at, float[] dst, int d) {
        // Straight-line code: a vector carried around a loop over the windows could be boxed.
        int step = perWindow * blockBytes;
        ShortVector halves = window(bytes, at, index0).blend(window(bytes, at + step, index1), lanes1);
        if (windows == 4) {
            halves = halves.blend(window(bytes, at + 2 * step, index2), lanes2).blend(window(bytes, at + 3 * step, index3), lanes3);
        }
        halvesToFloats((IntVector) halves.convertShape(VectorOperators.ZERO_EXTEND_S2I, I, 0)).intoArray(dst, d);
    }

    /**
     * Lane-wise {@link Float#float16ToFloat} of the half-precision values held zero-extended in the lanes of
     * {@code h}, with integer operations (any lane count): the exponent and mantissa shifted into place and
     * multiplied by 2^112, exact for normal and subnormal halves alike, then the sign; infinities and NaNs (made
     * quiet, payload kept) rebuilt apart.
     */
    static FloatVector halvesToFloats(IntVector h) {
        IntVector magnitude = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13);
        IntVector finite = magnitude.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        IntVector special = magnitude.or(0x7F800000);
        special = special.blend(special.or(0x00400000), h.and(0x03FF).compare(VectorOperators.NE, 0));
        IntVector bits = finite.blend(special, h.and(0x7C00).compare(VectorOperators.EQ, 0x7C00));
        return bits.or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    private static ShortVector window(byte[] bytes, int at, ShortVector index) {
        ShortVector first = ByteVector.fromArray(B, bytes, at).reinterpretAsShorts();
        ShortVector second = ByteVector.fromArray(B, bytes, at + 64).reinterpretAsShorts();
        return index.selectFrom(first, second);
    }
}
