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
     * The batch-invariant product (see {@link Matrix#invariantRows}): every output is the F32 dot product of the
     * dequantized weight row with the activation row in one fixed order, whatever the batch. The weights are
     * {@code q * d}, exact in float (at most 18 significant bits), the row's vectors of L lanes are accumulated
     * lane-wise with FMA into two accumulators (even and odd vectors), and the result is {@code sum(even + odd)}
     * by {@link Vectors#sum}'s tree: exactly what the generic path (a dequantized row and {@code f32Dot}) computes,
     * not {@link #dot}'s order, so a lone sequence decoded here differs from {@link #dot} in the last bits,
     * identically at every batch size.
     *
     * <p>Activation rows go through in groups of eight, then one group of four ({@link StagedRows}: each converted
     * weight vector serves the whole group, from staged weights and aligned activations). Leftover activation rows,
     * and a batch of one, go through {@link #rowDot}, which on a mapped model runs a little faster than
     * {@link #dot} (1 thread, same minute: 42 vs 38 GFLOP/s of CPU time on a 8192 × 2048 matrix), so a lone
     * sequence in the batch queue is not slowed down by the batch-invariant order.
     *
     * <p>Tried and slower: tiles of 2 weight rows × 4 activation rows read straight from the mapped file (the
     * kernel before the staged one: a whole decode step of Llama-3.2-1B Q8_0 at 4 sequences ran at 19 tokens/s on
     * one thread, against 29 staged), 4 × 4 tiles with one accumulator per output, and dot's own order (block sums
     * scaled per block: three FMAs per block and output instead of two). In the staged kernel: reading the codes
     * from the mapped segment in the inner loop (its bounds checks doubled the instructions), touching the next
     * rows ahead of the copy, and desynchronizing the two threads' copies (none faster).
     */
    @Override
    protected void invariantRows(float[] x, int xOff, int batch, float[] out, int outOff, int rowStart, int rowEnd) {
        int octets = batch / 8;
        for (int g = 0; g < octets; g++) {
            StagedRows.product(this, BlockScales.Q8_0, 8, 8, TILE, 1f, x, xOff + 8 * g * cols, out, outOff + 8 * g * rows, rowStart, rowEnd);
        }
        int done = 8 * octets;
        if (batch - done >= 4) {
            StagedRows.product(this, BlockScales.Q8_0, 4, 4, TILE, 1f, x, xOff + done * cols, out, outOff + done * rows, rowStart, rowEnd);
            done += 4;
        }
        for (int r = rowStart; r < rowEnd; r++) {
            for (int b = done; b < batch; b++) out[outOff + b * rows + r] = rowDot(r, x, xOff + b * cols);
        }
    }

    /** The staged kernel's arithmetic on one chunk: {@link #tile1x8} or {@link #tile1x4}. */
    private static final StagedRows.Tile TILE = (st, group, count, k0, k1) -> {
        if (group == 8) tile1x8(st, count, k0, k1);
        else tile1x4(st, count, k0, k1);
    };

    /**
     * Blocks {@code [k0, k1)} of the {@code count} staged rows against the 8 interleaved activation rows at
     * {@code base}: per row, its 16 accumulators (e0..e7 even, o0..o7 odd vectors) are loaded, advanced by one
     * converted weight vector × 8 activation vectors per step, and stored back.
     */
    private static void tile1x8(StagedRows st, int count, int k0, int k1) {
        int rb = st.rowBytes, blocksPerRow = st.blocksPerRow, base = st.base;
        byte[] blocks = st.blocks;
        float[] scales = st.scales, xp = st.activations, acc = st.accumulators;
        int n = F.length();
        for (int row = 0; row < count; row++) {
            int a = row * 16 * n, rowStart = row * rb, scaleStart = row * blocksPerRow;
            FloatVector e0 = FloatVector.fromArray(F, acc, a), e1 = FloatVector.fromArray(F, acc, a + n);
            FloatVector e2 = FloatVector.fromArray(F, acc, a + 2 * n), e3 = FloatVector.fromArray(F, acc, a + 3 * n);
            FloatVector e4 = FloatVector.fromArray(F, acc, a + 4 * n), e5 = FloatVector.fromArray(F, acc, a + 5 * n);
            FloatVector e6 = FloatVector.fromArray(F, acc, a + 6 * n), e7 = FloatVector.fromArray(F, acc, a + 7 * n);
            FloatVector o0 = FloatVector.fromArray(F, acc, a + 8 * n), o1 = FloatVector.fromArray(F, acc, a + 9 * n);
            FloatVector o2 = FloatVector.fromArray(F, acc, a + 10 * n), o3 = FloatVector.fromArray(F, acc, a + 11 * n);
            FloatVector o4 = FloatVector.fromArray(F, acc, a + 12 * n), o5 = FloatVector.fromArray(F, acc, a + 13 * n);
            FloatVector o6 = FloatVector.fromArray(F, acc, a + 14 * n), o7 = FloatVector.fromArray(F, acc, a + 15 * n);
            for (int k = k0; k < k1; k++) {
                int b = rowStart + k * BLOCK_BYTES + 2;
                float d = scales[scaleStart + k];
                for (int h = 0; h < VECTORS / 2; h++) {
                    int v = 2 * h, i = base + (k * VECTORS + v) * 8 * n;
                    FloatVector w = Vectors.toFloats(Vectors.load(blocks, b + v * n / Vectors.CHUNK * Vectors.CHUNK), v * n % Vectors.CHUNK / n).mul(d);
                    e0 = w.fma(FloatVector.fromArray(F, xp, i), e0);
                    e1 = w.fma(FloatVector.fromArray(F, xp, i + n), e1);
                    e2 = w.fma(FloatVector.fromArray(F, xp, i + 2 * n), e2);
                    e3 = w.fma(FloatVector.fromArray(F, xp, i + 3 * n), e3);
                    e4 = w.fma(FloatVector.fromArray(F, xp, i + 4 * n), e4);
                    e5 = w.fma(FloatVector.fromArray(F, xp, i + 5 * n), e5);
                    e6 = w.fma(FloatVector.fromArray(F, xp, i + 6 * n), e6);
                    e7 = w.fma(FloatVector.fromArray(F, xp, i + 7 * n), e7);
                    i += 8 * n;
                    w = Vectors.toFloats(Vectors.load(blocks, b + (v + 1) * n / Vectors.CHUNK * Vectors.CHUNK), (v + 1) * n % Vectors.CHUNK / n).mul(d);
                    o0 = w.fma(FloatVector.fromArray(F, xp, i), o0);
                    o1 = w.fma(FloatVector.fromArray(F, xp, i + n), o1);
                    o2 = w.fma(FloatVector.fromArray(F, xp, i + 2 * n), o2);
                    o3 = w.fma(FloatVector.fromArray(F, xp, i + 3 * n), o3);
                    o4 = w.fma(FloatVector.fromArray(F, xp, i + 4 * n), o4);
                    o5 = w.fma(FloatVector.fromArray(F, xp, i + 5 * n), o5);
                    o6 = w.fma(FloatVector.fromArray(F, xp, i + 6 * n), o6);
                    o7 = w.fma(FloatVector.fromArray(F, xp, i + 7 * n), o7);
                }
            }
            e0.intoArray(acc, a);
            e1.intoArray(acc, a + n);
            e2.intoArray(acc, a + 2 * n);
            e3.intoArray(acc, a + 3 * n);
            e4.intoArray(acc, a + 4 * n);
            e5.intoArray(acc, a + 5 * n);
            e6.intoArray(acc, a + 6 * n);
            e7.intoArray(acc, a + 7 * n);
            o0.intoArray(acc, a + 8 * n);
            o1.intoArray(acc, a + 9 * n);
            o2.intoArray(acc, a + 10 * n);
            o3.intoArray(acc, a + 11 * n);
            o4.intoArray(acc, a + 12 * n);
            o5.intoArray(acc, a + 13 * n);
            o6.intoArray(acc, a + 14 * n);
            o7.intoArray(acc, a + 15 * n);
        }
    }

    /** {@link #tile1x8} for a group of 4 activation rows: 8 accumulators (e0..e3 even, o0..o3 odd vectors) per row. */
    private static void tile1x4(StagedRows st, int count, int k0, int k1) {
        int rb = st.rowBytes, blocksPerRow = st.blocksPerRow, base = st.base;
        byte[] blocks = st.blocks;
        float[] scales = st.scales, xp = st.activations, acc = st.accumulators;
        int n = F.length();
        for (int row = 0; row < count; row++) {
            int a = row * 8 * n, rowStart = row * rb, scaleStart = row * blocksPerRow;
            FloatVector e0 = FloatVector.fromArray(F, acc, a), e1 = FloatVector.fromArray(F, acc, a + n);
            FloatVector e2 = FloatVector.fromArray(F, acc, a + 2 * n), e3 = FloatVector.fromArray(F, acc, a + 3 * n);
            FloatVector o0 = FloatVector.fromArray(F, acc, a + 4 * n), o1 = FloatVector.fromArray(F, acc, a + 5 * n);
            FloatVector o2 = FloatVector.fromArray(F, acc, a + 6 * n), o3 = FloatVector.fromArray(F, acc, a + 7 * n);
            for (int k = k0; k < k1; k++) {
                int b = rowStart + k * BLOCK_BYTES + 2;
                float d = scales[scaleStart + k];
                for (int h = 0; h < VECTORS / 2; h++) {
                    int v = 2 * h, i = base + (k * VECTORS + v) * 4 * n;
                    FloatVector w = Vectors.toFloats(Vectors.load(blocks, b + v * n / Vectors.CHUNK * Vectors.CHUNK), v * n % Vectors.CHUNK / n).mul(d);
                    e0 = w.fma(FloatVector.fromArray(F, xp, i), e0);
                    e1 = w.fma(FloatVector.fromArray(F, xp, i + n), e1);
                    e2 = w.fma(FloatVector.fromArray(F, xp, i + 2 * n), e2);
                    e3 = w.fma(FloatVector.fromArray(F, xp, i + 3 * n), e3);
                    i += 4 * n;
                    w = Vectors.toFloats(Vectors.load(blocks, b + (v + 1) * n / Vectors.CHUNK * Vectors.CHUNK), (v + 1) * n % Vectors.CHUNK / n).mul(d);
                    o0 = w.fma(FloatVector.fromArray(F, xp, i), o0);
                    o1 = w.fma(FloatVector.fromArray(F, xp, i + n), o1);
                    o2 = w.fma(FloatVector.fromArray(F, xp, i + 2 * n), o2);
                    o3 = w.fma(FloatVector.fromArray(F, xp, i + 3 * n), o3);
                }
            }
            e0.intoArray(acc, a);
            e1.intoArray(acc, a + n);
            e2.intoArray(acc, a + 2 * n);
            e3.intoArray(acc, a + 3 * n);
            o0.intoArray(acc, a + 4 * n);
            o1.intoArray(acc, a + 5 * n);
            o2.intoArray(acc, a + 6 * n);
            o3.intoArray(acc, a + 7 * n);
        }
    }

    /** Float vectors per block. */
    private static final int VECTORS = BLOCK / F.length();

    /** Per float vector {@code v} of a block: the offset of its code chunk in the block, and its part of the chunk. */
    private static final long[] CODES_AT = new long[VECTORS];
    private static final int[] PART_OF = new int[VECTORS];

    static {
        for (int v = 0; v < VECTORS; v++) {
            int first = v * F.length();
            CODES_AT[v] = 2 + first / Vectors.CHUNK * Vectors.CHUNK;
            PART_OF[v] = first % Vectors.CHUNK / F.length();
        }
    }

    /**
     * Part {@code v} (of {@link #VECTORS}) of the block at {@code block}, dequantized: {@code q * d}. Kept under 35
     * bytecodes, the size C2 inlines at any call site: at 64 it was inlined only where the profile called the site
     * hot, and in a JVM where it was not, every vector it returned was boxed and Q8_0 decode ran at 4.3 instead of
     * 14 tokens/s (bench/run all, 17:47 UTC, session 3).
     */
    private FloatVector weights(long block, int v, float d) {
        return Vectors.toFloats(Vectors.load(data, block + CODES_AT[v]), PART_OF[v]).mul(d);
    }

    /** Weight row {@code r} · the activation row at {@code x0}, in the tiles' order (both parities in one loop). */
    private float rowDot(int r, float[] x, int x0) {
        FloatVector even = FloatVector.zero(F), odd = even;
        int nb = cols / BLOCK, n = F.length();
        long row = r * rowBytes;
        // Two blocks per iteration, their scales read ahead (the order of the FMAs is the same as block by block).
        for (int j = 0; j < nb / 2; j++) {
            long b0 = row + (long) (2 * j) * BLOCK_BYTES, b1 = b0 + BLOCK_BYTES;
            float d0 = Vectors.f16(data, b0), d1 = Vectors.f16(data, b1);
            for (int h = 0; h < VECTORS / 2; h++) {
                int v = 2 * h, o = x0 + 2 * j * BLOCK + v * n;
                even = weights(b0, v, d0).fma(FloatVector.fromArray(F, x, o), even);
                odd = weights(b0, v + 1, d0).fma(FloatVector.fromArray(F, x, o + n), odd);
            }
            for (int h = 0; h < VECTORS / 2; h++) {
                int v = 2 * h, o = x0 + (2 * j + 1) * BLOCK + v * n;
                even = weights(b1, v, d1).fma(FloatVector.fromArray(F, x, o), even);
                odd = weights(b1, v + 1, d1).fma(FloatVector.fromArray(F, x, o + n), odd);
            }
        }
        if (nb % 2 != 0) {
            long b = row + (long) (nb - 1) * BLOCK_BYTES;
            float d = Vectors.f16(data, b);
            for (int h = 0; h < VECTORS / 2; h++) {
                int v = 2 * h, o = x0 + (nb - 1) * BLOCK + v * n;
                even = weights(b, v, d).fma(FloatVector.fromArray(F, x, o), even);
                odd = weights(b, v + 1, d).fma(FloatVector.fromArray(F, x, o + n), odd);
            }
        }
        return Vectors.sum(even.add(odd));
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
