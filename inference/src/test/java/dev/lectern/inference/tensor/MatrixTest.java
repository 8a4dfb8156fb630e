package dev.lectern.inference.tensor;

import dev.lectern.inference.gguf.GgufTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Kernel properties on matrices larger than quant-zoo's 8 × 256: every supported type, several thread counts,
 * tails of rows and batches that do not fill a tile. The matrices are built from quant-zoo's real blocks (each
 * block is self-contained, so any sequence of them is a valid row), and their dequantization is known from
 * {@code deq.t}.
 */
class MatrixTest {

    static final int ROWS = 70;        // not a multiple of the 64-row thread grain nor of any GEMM panel (8, 16 or 32 rows)
    static final int BLOCKS = 3;       // row length 3 * 256 = 768

    static Stream<GgmlType> types() {
        return Matrix.supportedTypes().stream();
    }

    /** A ROWS × (BLOCKS*256) matrix of type t made of quant-zoo blocks, and its dequantized values. */
    record Built(Matrix matrix, float[] values) {}

    static Built build(GgmlType t) {
        GgufTensor w = QuantZooTest.ZOO.tensor("W." + t.ggmlName());
        float[] deq = QuantZooTest.ZOO.tensor("deq." + t.ggmlName()).toFloatArray();
        int bpb = t.bytesPerBlock(), vpb = t.blockSize();
        int zooBlocks = (int) (w.data().byteSize() / bpb);
        int cols = BLOCKS * 256, blocksPerRow = cols / vpb;
        MemorySegment seg = MemorySegment.ofArray(new byte[ROWS * blocksPerRow * bpb]);
        float[] values = new float[ROWS * cols];
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < blocksPerRow; j++) {
                int src = (r * 7 + j * 3) % zooBlocks;
                MemorySegment.copy(w.data(), (long) src * bpb, seg, ((long) r * blocksPerRow + j) * bpb, bpb);
                System.arraycopy(deq, src * vpb, values, r * cols + j * vpb, vpb);
            }
        }
        return new Built(Matrix.of(t, seg, ROWS, cols), values);
    }

    static float[] activations(int batch, int cols, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[batch * cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }

    @ParameterizedTest
    @MethodSource("types")
    void dequantizeDotAndMatmulAgreeWithExactArithmetic(GgmlType t) {
        Built b = build(t);
        Matrix m = b.matrix();
        int cols = m.cols();
        float[] row = new float[cols];
        for (int r = 0; r < ROWS; r++) {
            m.dequantizeRow(r, row, 0);
            for (int i = 0; i < cols; i++) assertEquals(b.values()[r * cols + i], row[i], 0f, t + " deq row " + r);
        }
        int batch = 7;
        float[] x = activations(batch, cols, 11);
        float[] out = new float[batch * ROWS];
        m.matmul(x, batch, out);
        for (int bi = 0; bi < batch; bi++) {
            for (int r = 0; r < ROWS; r++) {
                double exact = exactDot(b, r, x, bi), abs = absDot(b, r, x, bi);
                // 768 float terms: the worst-case rounding is ~768 * 2^-24 relative to Σ|w x| = 4.6e-5.
                assertEquals(exact, out[bi * ROWS + r], 5e-5 * abs, t + " matmul[" + bi + "][" + r + "]");
                assertEquals(exact, m.dot(r, x, bi * cols), 5e-5 * abs, t + " dot[" + bi + "][" + r + "]");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("types")
    void resultsAreBitIdenticalForAnyThreadCountAndBatchSize(GgmlType t) {
        Matrix m = build(t).matrix();
        int cols = m.cols();
        float[] x = activations(9, cols, 5);
        float[] ref9 = new float[9 * ROWS];
        float[] ref1 = new float[ROWS];
        m.matmul(x, 9, ref9);
        m.matvec(x, ref1);
        for (int threads = 2; threads <= 3; threads++) {
            try (Parallel p = new Parallel(threads)) {
                float[] o9 = new float[9 * ROWS];
                float[] o1 = new float[ROWS];
                m.matmul(x, 9, o9, p);
                m.matvec(x, o1, p);
                assertArrayEquals(ref9, o9, t + " batch 9, " + threads + " threads");
                assertArrayEquals(ref1, o1, t + " batch 1, " + threads + " threads");
            }
        }
        // An activation row's result does not depend on the other rows of the batch.
        float[] o4 = new float[4 * ROWS];
        m.matmul(x, 5 * cols, 4, o4, 0, Parallel.serial());
        for (int i = 0; i < 4 * ROWS; i++) assertEquals(ref9[5 * ROWS + i], o4[i], 0f, t + " batch independence");
    }

    /** {@code Σ w·x} of weight row {@code r} and activation row {@code bi}, in double. */
    private static double exactDot(Built b, int r, float[] x, int bi) {
        int cols = b.matrix().cols();
        double sum = 0;
        for (int i = 0; i < cols; i++) sum += (double) b.values()[r * cols + i] * x[bi * cols + i];
        return sum;
    }

    /** {@code Σ |w·x|}: the scale of the rounding error a float dot product of the same terms may have. */
    private static double absDot(Built b, int r, float[] x, int bi) {
        int cols = b.matrix().cols();
        double sum = 0;
        for (int i = 0; i < cols; i++) sum += Math.abs((double) b.values()[r * cols + i] * x[bi * cols + i]);
        return sum;
    }

    /** Batches spanning several activation panels (and a partial one) of the GEMM, for every type. */
    @ParameterizedTest
    @MethodSource("types")
    void largeBatchesMatchTheSingleRowProducts(GgmlType t) {
        Built b = build(t);
        Matrix m = b.matrix();
        int cols = m.cols(), batch = 2 * F32Gemm.NB + 3;
        float[] x = activations(batch, cols, 21);
        float[] out = new float[batch * ROWS];
        float[] outThreads = new float[batch * ROWS];
        m.matmul(x, batch, out);
        try (Parallel p = new Parallel(2)) {
            m.matmul(x, batch, outThreads, p);
        }
        assertArrayEquals(out, outThreads, t + " threads");
        for (int bi = 0; bi < batch; bi += 7) {
            for (int r = 0; r < ROWS; r++) {
                double exact = exactDot(b, r, x, bi), abs = absDot(b, r, x, bi);
                assertEquals(exact, out[bi * ROWS + r], 5e-5 * abs, t + " matmul[" + bi + "][" + r + "]");
            }
        }
        // The last rows (a partial panel) give the same values alone as inside the big batch.
        float[] tail = new float[2 * ROWS];
        m.matmul(x, (batch - 2) * cols, 2, tail, 0, Parallel.serial());
        for (int i = 0; i < 2 * ROWS; i++) assertEquals(out[(batch - 2) * ROWS + i], tail[i], 0f, t + " batch independence");
    }

    @Test
    void matmulChecksArgumentSizes() {
        Matrix m = build(GgmlType.F32).matrix();
        assertThrows(IndexOutOfBoundsException.class, () -> m.matmul(new float[m.cols() * 2 - 1], 2, new float[2 * ROWS]));
        assertThrows(IndexOutOfBoundsException.class, () -> m.matmul(new float[m.cols() * 2], 2, new float[2 * ROWS - 1]));
        assertThrows(IllegalArgumentException.class, () -> Matrix.of(GgmlType.Q8_0, MemorySegment.ofArray(new byte[33]), 1, 32));
        assertThrows(IllegalArgumentException.class, () -> Matrix.of(GgmlType.IQ2_XXS, MemorySegment.ofArray(new byte[66]), 1, 256));
    }

    @Test
    void kernelsUseTheRequestedVectorShape() {
        String bits = System.getProperty("lectern.vector.bits");
        if (bits != null) assertEquals(Integer.parseInt(bits), Vectors.F.vectorBitSize());
        assertEquals(Vectors.F.length(), Vectors.CHUNK / Vectors.PARTS);
    }
}
