package dev.lectern.inference.tensor;

import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * A read-only weight matrix of {@code rows} rows and {@code cols} columns stored in a ggml type over a
 * {@link MemorySegment} (usually a slice of a mapped GGUF file; nothing is copied).
 *
 * <p>Layout: ggml's {@code ne0} is {@code cols}, the contiguous dimension. Row {@code r} occupies bytes
 * {@code [r * rowBytes, (r + 1) * rowBytes)} of the segment, where {@code rowBytes = type.byteSize(cols)}, as
 * {@code cols / blockSize} consecutive blocks.
 *
 * <p>Every supported type has one subclass that holds its block layout, dequantization and dot kernel. Shared
 * here: the threaded matrix-vector and matrix-matrix products. Activations are F32 (ggml instead quantizes them
 * for most weight types; see the quant-zoo test for the resulting differences), except in Q4_0's batch-invariant
 * product, which rounds them to 8 bits per block as ggml does and sums in integers ({@code Q4_0Panels}).
 *
 * <p>Reproducibility: work is split between threads by output rows, and each output value is computed by one
 * thread in a fixed order, so {@link #matmul} gives bit-identical results for any {@link Parallel} thread count.
 * A product with {@code batch == 1} uses the batch-invariant kernel ({@link #invariantRows}: for most types the
 * fused {@link #dot}); with {@code batch > 1} it uses a blocked GEMM over dequantized rows ({@code F32Gemm}), or the
 * batch-invariant kernel when asked. They are correct to float rounding but may differ in the last bits; within the
 * GEMM, the result for one activation row does not depend on the other rows of the batch.
 */
public abstract class Matrix {

    /** Thread split unit: a multiple of the GEMM row tile. */
    static final int ROW_GRAIN = 64;

    private static final Map<GgmlType, Factory> FACTORIES;

    @FunctionalInterface
    private interface Factory {
        Matrix create(MemorySegment data, int rows, int cols);
    }

    static {
        Map<GgmlType, Factory> f = new EnumMap<>(GgmlType.class);
        f.put(GgmlType.F32, F32Matrix::new);
        f.put(GgmlType.F16, F16Matrix::new);
        f.put(GgmlType.Q8_0, Q8_0Matrix::new);
        f.put(GgmlType.Q4_0, Q4_0Matrix::new);
        f.put(GgmlType.BF16, BF16Matrix::new);
        f.put(GgmlType.Q4_1, Q4_1Matrix::new);
        f.put(GgmlType.Q5_0, Q5_0Matrix::new);
        f.put(GgmlType.Q5_1, Q5_1Matrix::new);
        f.put(GgmlType.Q2_K, Q2_KMatrix::new);
        f.put(GgmlType.Q3_K, Q3_KMatrix::new);
        f.put(GgmlType.Q4_K, Q4_KMatrix::new);
        f.put(GgmlType.Q5_K, Q5_KMatrix::new);
        f.put(GgmlType.Q6_K, Q6_KMatrix::new);
        f.put(GgmlType.IQ4_NL, IQ4_NLMatrix::new);
        f.put(GgmlType.IQ4_XS, IQ4_XSMatrix::new);
        f.put(GgmlType.MXFP4, MXFP4Matrix::new);
        FACTORIES = Collections.unmodifiableMap(f);
    }

    /** Little-endian layouts for reading block fields (GGUF is little-endian; reads need not be aligned). */
    protected static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    protected static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    protected static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    protected static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    protected final MemorySegment data;
    protected final int rows;
    protected final int cols;
    protected final long rowBytes;
    private final boolean hasFusedDot;

    protected Matrix(GgmlType type, MemorySegment data, int rows, int cols) {
        if (rows < 0 || cols <= 0) throw new IllegalArgumentException("bad matrix shape " + rows + " x " + cols);
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException("row length " + cols + " is not a multiple of the " + type + " block size " + type.blockSize());
        }
        this.rowBytes = type.byteSize(cols);
        long need = rowBytes * rows;
        if (data.byteSize() != need) {
            throw new IllegalArgumentException(type + " matrix " + rows + " x " + cols + " needs " + need + " bytes, the segment has " + data.byteSize());
        }
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.hasFusedDot = FUSED_DOT.get(getClass());
    }

    /**
     * A matrix view over {@code data} holding {@code rows * cols} values of {@code type}.
     *
     * @throws IllegalArgumentException if the type has no kernels here, or the segment size does not match
     */
    public static Matrix of(GgmlType type, MemorySegment data, int rows, int cols) {
        Factory f = FACTORIES.get(type);
        if (f == null) throw new IllegalArgumentException("no kernels for ggml type " + type + " (supported: " + supportedTypes() + ")");
        return f.create(data, rows, cols);
    }

    /** An F32 matrix over a heap array holding {@code rows * cols} values, row-major. */
    public static Matrix ofFloats(float[] values, int rows, int cols) {
        return of(GgmlType.F32, MemorySegment.ofArray(values), rows, cols);
    }

    /**
     * An F32 matrix of {@code rows × cols} from its transpose, {@code columns[k * rows + r] = W[r][k]} (ONNX MatMul
     * weights, stored [in, out]), held in the layout of the fastest batched product: panels of rows stored column
     * by column ({@code F32PanelMatrix}). Its batched products give the same bits as {@link #ofFloats} of the
     * transposed values; single rows are slower to read, and {@link #data()} holds the panels, not row-major values.
     */
    public static Matrix ofColumns(float[] columns, int rows, int cols) {
        return F32PanelMatrix.fromColumns(columns, rows, cols);
    }

    public static boolean supports(GgmlType type) {
        return FACTORIES.containsKey(type);
    }

    public static Set<GgmlType> supportedTypes() {
        return Collections.unmodifiableSet(FACTORIES.keySet());
    }

    public abstract GgmlType type();

    public final int rows() {
        return rows;
    }

    public final int cols() {
        return cols;
    }

    /** The matrix bytes. */
    public final MemorySegment data() {
        return data;
    }

    /** Bytes per row. */
    public final long rowBytes() {
        return rowBytes;
    }

    /**
     * Writes row {@code row} as {@code cols} floats to {@code dst[dstOff ..]}, exactly as ggml's dequantization does
     * (bit for bit).
     */
    public abstract void dequantizeRow(int row, float[] dst, int dstOff);

    /**
     * Returns {@code W[row] · x[xOff .. xOff + cols)}.
     *
     * <p>This default dequantizes the row into a per-thread buffer and takes a vectorized F32 dot product; the
     * types that dominate real models override it with a fused kernel that never materializes the row.
     */
    public float dot(int row, float[] x, int xOff) {
        F32Gemm.Scratch scratch = F32Gemm.scratch();
        if (scratch.weights.length < cols) scratch.weights = new float[F32Gemm.GROUP * cols];
        float[] w = scratch.weights;
        dequantizeRow(row, w, 0);
        return f32Dot(w, x, xOff, cols);
    }

    /** {@code w[0 .. n) · x[xOff ..]} in F32, vectorized, with a fixed summation order. */
    private static float f32Dot(float[] w, float[] x, int xOff, int n) {
        int step = Vectors.F.length(), upper = Vectors.F.loopBound(n);
        FloatVector acc0 = FloatVector.zero(Vectors.F), acc1 = FloatVector.zero(Vectors.F);
        int i = 0;
        for (; i + 2 * step <= upper; i += 2 * step) {
            acc0 = FloatVector.fromArray(Vectors.F, w, i).fma(FloatVector.fromArray(Vectors.F, x, xOff + i), acc0);
            acc1 = FloatVector.fromArray(Vectors.F, w, i + step).fma(FloatVector.fromArray(Vectors.F, x, xOff + i + step), acc1);
        }
        if (i < upper) acc0 = FloatVector.fromArray(Vectors.F, w, i).fma(FloatVector.fromArray(Vectors.F, x, xOff + i), acc0);
        float sum = Vectors.sum(acc0.add(acc1));
        for (i = upper; i < n; i++) sum = Math.fma(w[i], x[xOff + i], sum);
        return sum;
    }

    /**
     * The batch-invariant product for weight rows {@code [rowStart, rowEnd)}:
     * {@code out[outOff + b * rows + r] = W[r] · x[xOff + b * cols ..]} for {@code b < batch}, where each output's
     * arithmetic depends only on its weight row and its activation row, never on the batch size or on which other
     * rows share the call; so one activation row gives the same bits alone and among others. This default is
     * {@link #dot} per output: the type's fused kernel through {@link #dots} (a weight row read from memory once,
     * then served to every activation row from L1), or a row dequantized once and dotted in F32 (what the default
     * {@link #dot} computes). A type may override it with its own fixed per-output order (Q8_0 converts each
     * weight vector once for a group of activation rows); it need not be {@link #dot}'s order, since every single-row
     * product goes through here too.
     */
    protected void invariantRows(float[] x, int xOff, int batch, float[] out, int outOff, int rowStart, int rowEnd) {
        if (hasFusedDot) {
            for (int r = rowStart; r < rowEnd; r++) dots(r, x, xOff, batch, out, outOff + r, rows);
            return;
        }
        F32Gemm.Scratch scratch = F32Gemm.scratch();
        if (scratch.weights.length < cols) scratch.weights = new float[F32Gemm.GROUP * cols];
        float[] w = scratch.weights;
        for (int r = rowStart; r < rowEnd; r++) {
            dequantizeRow(r, w, 0);
            for (int b = 0; b < batch; b++) out[outOff + b * rows + r] = f32Dot(w, x, xOff + b * cols, cols);
        }
    }

    /**
     * {@code out[outOff + b * outStride] = dot(row, x[xOff + b * cols ..])} for {@code b < batch}. A type may override
     * it to decode each block once for several activation rows, but every output must keep exactly {@link #dot}'s
     * arithmetic (same operations, same order), so that results never depend on the batch.
     */
    protected void dots(int row, float[] x, int xOff, int batch, float[] out, int outOff, int outStride) {
        for (int b = 0; b < batch; b++) out[outOff + b * outStride] = dot(row, x, xOff + b * cols);
    }

    /**
     * {@code out[outOff + r] = W[r] · x[xOff .. xOff + cols)} for rows {@code [rowStart, rowEnd)}, on the calling
     * thread: the single-row product of a decode step, which is the batch-invariant kernel
     * ({@link #invariantRows} with one activation row). A row's result is therefore the same whether it is computed
     * here, by {@link #matmul} for one row, or among other sequences in a batch-invariant product; callers that fuse
     * several projections into one parallel loop use this.
     */
    public final void rows(float[] x, int xOff, float[] out, int outOff, int rowStart, int rowEnd) {
        java.util.Objects.checkFromToIndex(rowStart, rowEnd, rows);
        java.util.Objects.checkFromIndexSize(xOff, cols, x.length);
        java.util.Objects.checkFromToIndex(outOff + rowStart, outOff + rowEnd, out.length);
        alignedRows(x, xOff, 1, out, outOff, rowStart, rowEnd);
    }

    /** Per thread: a copy of the activation rows that starts on a 64-byte line. */
    private static final ThreadLocal<float[]> ALIGNED_ROWS = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * {@link #invariantRows} on a copy of the activation rows that starts on a 64-byte line ({@link Aligned}), so
     * that no vector load of them splits a cache line. Where the caller's array happened to start decided, JVM by
     * JVM, between 11.9 and 15.2 tokens/s of Llama-3.2-1B Q8_0 decode on one core; from the aligned copy it is
     * 13.1–15.5 (Q4_0: +10–15 %). Same arithmetic on the same values, so the same bits. The copy is
     * {@code batch · cols} floats per call against {@code (rowEnd - rowStart) · cols} weights.
     */
    private void alignedRows(float[] x, int xOff, int batch, float[] out, int outOff, int rowStart, int rowEnd) {
        int n = batch * cols;
        float[] copy = ALIGNED_ROWS.get();
        if (copy.length < n + Aligned.SLACK) ALIGNED_ROWS.set(copy = new float[n + Aligned.SLACK]);
        int base = Aligned.firstAlignedIndex(copy);
        System.arraycopy(x, xOff, copy, base, n);
        invariantRows(copy, base, batch, out, outOff, rowStart, rowEnd);
    }

    /** Per matrix class: whether it overrides {@link #dot} with a fused kernel (else dot is dequantize + {@link #f32Dot}). */
    private static final ClassValue<Boolean> FUSED_DOT = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("dot", int.class, float[].class, int.class).getDeclaringClass() != Matrix.class;
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("Matrix.dot must exist", e);
            }
        }
    };

    /** {@code out[r] = W[r] · x} for every row, single-threaded. */
    public final void matvec(float[] x, float[] out) {
        matmul(x, 0, 1, out, 0, Parallel.serial());
    }

    /** {@code out[r] = W[r] · x} for every row, threads splitting the rows. */
    public final void matvec(float[] x, float[] out, Parallel parallel) {
        matmul(x, 0, 1, out, 0, parallel);
    }

    /** {@code out[b * rows + r] = W[r] · x[b * cols ..]}: x is {@code batch × cols}, out {@code batch × rows}, both row-major. */
    public final void matmul(float[] x, int batch, float[] out) {
        matmul(x, 0, batch, out, 0, Parallel.serial());
    }

    /** As {@link #matmul(float[], int, float[])}, threads splitting the output rows. */
    public final void matmul(float[] x, int batch, float[] out, Parallel parallel) {
        matmul(x, 0, batch, out, 0, parallel);
    }

    /**
     * {@code out[outOff + b * rows + r] = W[r] · x[xOff + b * cols ..]} for {@code b < batch}, {@code r < rows}.
     * Threads of {@code parallel} split the rows; the result does not depend on the thread count.
     */
    public final void matmul(float[] x, int xOff, int batch, float[] out, int outOff, Parallel parallel) {
        matmul(x, xOff, batch, out, outOff, parallel, false);
    }

    /**
     * {@code out[outOff + b * rows + r] = W[r] · x[xOff + b * cols ..] + bias[r]}: the product and then the bias added,
     * in one pass over the output where the layout allows (see {@link #ofColumns}).
     */
    public final void matmul(float[] x, int xOff, int batch, float[] out, int outOff, float[] bias, Parallel parallel) {
        if (bias.length != rows) throw new IllegalArgumentException("bias of " + bias.length + " values for " + rows + " rows");
        matmul(x, xOff, batch, out, outOff, bias, parallel, false);
    }

    /**
     * As {@link #matmul(float[], int, int, float[], int, Parallel)}; with {@code batchInvariant} every output is
     * computed in a fixed order of its own whatever the batch size ({@link #invariantRows}), so a row's result is
     * bit-identical however many other rows share the call (and equal to the {@code batch == 1} product): what
     * multi-sequence decoding needs to give the same tokens at any batch size. Meant for small batches (decode
     * steps); large ones are faster through the default GEMM.
     */
    public final void matmul(float[] x, int xOff, int batch, float[] out, int outOff, Parallel parallel,
                             boolean batchInvariant) {
        matmul(x, xOff, batch, out, outOff, null, parallel, batchInvariant);
    }

    private void matmul(float[] x, int xOff, int batch, float[] out, int outOff, float[] bias, Parallel parallel,
                        boolean batchInvariant) {
        if (batch < 0) throw new IllegalArgumentException("negative batch " + batch);
        java.util.Objects.checkFromIndexSize(xOff, (long) batch * cols > Integer.MAX_VALUE ? -1 : batch * cols, x.length);
        java.util.Objects.checkFromIndexSize(outOff, batch * rows, out.length);
        if (batch == 0 || rows == 0) return;
        if (batch == 1 || batchInvariant) {
            parallel.forRange(rows, ROW_GRAIN, (s, e) -> {
                alignedRows(x, xOff, batch, out, outOff, s, e);
                addBias(bias, batch, out, outOff, s, e);
            });
        } else if (this instanceof F32PanelMatrix panels) {
            int p = F32PanelMatrix.P;
            parallel.forRange(rows, ROW_GRAIN, (s, e) -> panels.panelRows(x, xOff, batch, bias, out, outOff, s / p, (e + p - 1) / p));
        } else {
            float[] packed = F32Gemm.packActivations(x, xOff, batch, cols, parallel);
            parallel.forRange(rows, ROW_GRAIN, (s, e) -> {
                F32Gemm.rows(this, packed, batch, out, outOff, s, e);
                addBias(bias, batch, out, outOff, s, e);
            });
        }
    }

    /** {@code out[outOff + b * rows + r] += bias[r]} for rows {@code [rowStart, rowEnd)}; nothing when bias is null. */
    private void addBias(float[] bias, int batch, float[] out, int outOff, int rowStart, int rowEnd) {
        if (bias == null) return;
        for (int b = 0; b < batch; b++) {
            int o = outOff + b * rows;
            for (int r = rowStart; r < rowEnd; r++) out[o + r] += bias[r];
        }
    }

    /** The unsigned byte at {@code offset}. */
    protected final int u8(long offset) {
        return Byte.toUnsignedInt(data.get(BYTE, offset));
    }

    /** The IEEE half-precision value stored little-endian at {@code offset} (ggml's {@code ggml_half}). */
    protected final float f16(long offset) {
        return Float.float16ToFloat(data.get(LE_SHORT, offset));
    }

    @Override
    public String toString() {
        return type() + " matrix " + rows + " x " + cols;
    }
}
