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
     * The exactly dequantized row ({@code q * d}: at most 18 significant bits, exact in float) dotted with {@code x}
     * in two lane-wise FMA chains (even and odd vectors), summed by {@link Vectors#sum}'s tree: the same arithmetic as
     * the generic dequantize-then-F32 path, and the batch-invariant product's ({@link #invariantRows}), so a sequence
     * decoded alone or in a batch gives the same bits.
     *
     * <p>Scaling each vector of codes before its FMA costs one multiply per vector, against one FMA per block for
     * scaling block sums, but keeps a single accumulation chain per parity; measured in whole decode steps on mapped
     * models it is faster (Llama-3.2-1B shape, 1 thread: 14.4 vs 13.0 tok/s) when the row loop runs inside this class
     * ({@link #dotRows}).
     */
    @Override
    public float dot(int row, float[] x, int xOff) {
        return rowDot(row, x, xOff);
    }

    @Override
    public void dotRows(float[] x, int xOff, float[] out, int outOff, int rowStart, int rowEnd) {
        for (int r = rowStart; r < rowEnd; r++) out[outOff + r] = rowDot(r, x, xOff);
    }

    /**
     * The batch-invariant product (see {@link Matrix#invariantRows}): every output is the F32 dot product of the
     * dequantized weight row with the activation row in one fixed order, whatever the batch. The weights are
     * {@code q * d}, exact in float (at most 18 significant bits), the row's vectors of L lanes are accumulated
     * lane-wise with FMA into two accumulators (even and odd vectors), and the result is {@code sum(even + odd)}
     * by {@link Vectors#sum}'s tree: exactly what the generic path (a dequantized row and {@code f32Dot}) computes,
     * which is also {@link #dot}'s.
     *
     * <p>Activation rows go through in groups of four on tiles of 2 weight rows × 4 activation rows
     * ({@link #tile2x4}: 16 accumulators): each converted weight vector serves 4 activation rows and each activation
     * load 2 weight rows; with 8 sequences the second group reads the two weight rows from L1. Leftover activation
     * rows, and a batch of one, go through {@link #rowDot}, {@link #dot}'s kernel.
     *
     * <p>Tried and slower: 4 × 4 tiles with one accumulator per output (4 weight streams; a batch of one then ran at
     * half {@link #dot}'s speed out of cache), tiles split in even/odd passes, 1 × 4 tiles, and the former dot's order
     * (block sums scaled per block: three FMAs per block and output instead of two).
     */
    @Override
    protected void invariantRows(float[] x, int xOff, int batch, float[] out, int outOff, int rowStart, int rowEnd) {
        int groups = batch / 4;
        if (groups > 0) {
            float[] lanes = TILE_LANES.get();
            int r = rowStart;
            for (; r + 2 <= rowEnd; r += 2) {
                for (int g = 0; g < groups; g++) tile2x4(r, x, xOff + 4 * g * cols, out, outOff + 4 * g * rows + r, lanes);
            }
            for (; r < rowEnd; r++) {
                for (int b = 0; b < 4 * groups; b++) out[outOff + b * rows + r] = rowDot(r, x, xOff + b * cols);
            }
        }
        for (int r = rowStart; r < rowEnd; r++) {
            for (int b = 4 * groups; b < batch; b++) out[outOff + b * rows + r] = rowDot(r, x, xOff + b * cols);
        }
    }

    /** Float vectors per block. */
    private static final int VECTORS = BLOCK / F.length();

    /**
     * Per thread: a tile's 8 sums {@code even + odd}, stored and reduced in scalar steps by
     * {@link Vectors#sum(float[], int)} (the same tree as the vector reduction): eight inlined vector reductions
     * after the tile loop exceed the JIT's inlining budget for one method, and the accumulators would then be boxed
     * on every call.
     */
    private static final ThreadLocal<float[]> TILE_LANES = ThreadLocal.withInitial(() -> new float[8 * F.length()]);

    /** Part {@code v} (of {@link #VECTORS}) of the block at {@code block}, dequantized: {@code q * d}. */
    private FloatVector weights(long block, int v, float d) {
        int first = v * F.length();
        var codes = Vectors.load(data, block + 2 + first / Vectors.CHUNK * Vectors.CHUNK);
        return Vectors.toFloats(codes, first % Vectors.CHUNK / F.length()).mul(d);
    }

    /**
     * The tile of weight rows {@code r, r+1} × activation rows {@code x0}, {@code x0 + cols}, ...,
     * {@code x0 + 3·cols}: 8 outputs, each with its even and odd accumulator (16 registers), reduced into
     * {@code out[o + j·rows + i]} for weight row {@code i}, activation row {@code j}. Offsets are derived from the
     * loop counter (not carried), which keeps the loop counted and its bounds checks out of it.
     */
    private void tile2x4(int r, float[] x, int x0, float[] out, int o, float[] lanes) {
        FloatVector zero = FloatVector.zero(F);
        FloatVector e00 = zero, e01 = zero, e02 = zero, e03 = zero, e10 = zero, e11 = zero, e12 = zero, e13 = zero;
        FloatVector o00 = zero, o01 = zero, o02 = zero, o03 = zero, o10 = zero, o11 = zero, o12 = zero, o13 = zero;
        int x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols, nb = cols / BLOCK, n = F.length();
        long r0 = r * rowBytes, r1 = r0 + rowBytes;
        for (int k = 0; k < nb; k++) {
            long b = (long) k * BLOCK_BYTES;
            float d0 = Vectors.f16(data, r0 + b), d1 = Vectors.f16(data, r1 + b);
            for (int h = 0; h < VECTORS / 2; h++) {
                int v = 2 * h, i = k * BLOCK + v * n;
                FloatVector v0 = FloatVector.fromArray(F, x, x0 + i), v1 = FloatVector.fromArray(F, x, x1 + i);
                FloatVector v2 = FloatVector.fromArray(F, x, x2 + i), v3 = FloatVector.fromArray(F, x, x3 + i);
                FloatVector w = weights(r0 + b, v, d0);
                e00 = w.fma(v0, e00);
                e01 = w.fma(v1, e01);
                e02 = w.fma(v2, e02);
                e03 = w.fma(v3, e03);
                w = weights(r1 + b, v, d1);
                e10 = w.fma(v0, e10);
                e11 = w.fma(v1, e11);
                e12 = w.fma(v2, e12);
                e13 = w.fma(v3, e13);
                i += n;
                v0 = FloatVector.fromArray(F, x, x0 + i);
                v1 = FloatVector.fromArray(F, x, x1 + i);
                v2 = FloatVector.fromArray(F, x, x2 + i);
                v3 = FloatVector.fromArray(F, x, x3 + i);
                w = weights(r0 + b, v + 1, d0);
                o00 = w.fma(v0, o00);
                o01 = w.fma(v1, o01);
                o02 = w.fma(v2, o02);
                o03 = w.fma(v3, o03);
                w = weights(r1 + b, v + 1, d1);
                o10 = w.fma(v0, o10);
                o11 = w.fma(v1, o11);
                o12 = w.fma(v2, o12);
                o13 = w.fma(v3, o13);
            }
        }
        e00.add(o00).intoArray(lanes, 0);
        e10.add(o10).intoArray(lanes, n);
        e01.add(o01).intoArray(lanes, 2 * n);
        e11.add(o11).intoArray(lanes, 3 * n);
        e02.add(o02).intoArray(lanes, 4 * n);
        e12.add(o12).intoArray(lanes, 5 * n);
        e03.add(o03).intoArray(lanes, 6 * n);
        e13.add(o13).intoArray(lanes, 7 * n);
        for (int t = 0; t < 8; t++) out[o + (t >> 1) * rows + (t & 1)] = Vectors.sum(lanes, t * n);
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
