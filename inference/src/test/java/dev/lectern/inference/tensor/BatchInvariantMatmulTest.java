package dev.lectern.inference.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch-invariant product (what multi-sequence decoding runs): every output has the same bits whatever the
 * batch size and thread count, those of the product of its activation row alone. Runs under every vector width the
 * build tests.
 */
class BatchInvariantMatmulTest {

    private static final int ROWS = 71, COLS = 256, MAX_BATCH = 9;

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "MXFP4"})
    void everyOutputIsTheSingleRowProductWhateverTheBatch(GgmlType type) {
        SplittableRandom random = new SplittableRandom(type.ordinal());
        Matrix m = randomMatrix(type, random);
        float[] x = randomActivations(random);
        float[] alone = new float[MAX_BATCH * ROWS];
        for (int b = 0; b < MAX_BATCH; b++) m.matmul(x, b * COLS, 1, alone, b * ROWS, Parallel.serial(), true);
        try (Parallel two = new Parallel(2)) {
            for (int batch = 1; batch <= MAX_BATCH; batch++) {
                float[] out = new float[batch * ROWS];
                m.matmul(x, 0, batch, out, 0, batch % 2 == 0 ? two : Parallel.serial(), true);
                for (int i = 0; i < out.length; i++) {
                    assertEquals(Float.floatToRawIntBits(alone[i]), Float.floatToRawIntBits(out[i]),
                            type + " batch " + batch + ", activation " + i / ROWS + ", row " + i % ROWS);
                }
            }
        }
    }

    /** Types whose batch-invariant order is their single-row dot's: every output is that dot, bit for bit. */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "MXFP4"})
    void otherTypesRunTheirSingleRowDot(GgmlType type) {
        SplittableRandom random = new SplittableRandom(type.ordinal());
        Matrix m = randomMatrix(type, random);
        float[] x = randomActivations(random);
        float[] out = new float[MAX_BATCH * ROWS];
        m.matmul(x, 0, MAX_BATCH, out, 0, Parallel.serial(), true);
        for (int i = 0; i < out.length; i++) {
            assertEquals(Float.floatToRawIntBits(m.dot(i % ROWS, x, i / ROWS * COLS)), Float.floatToRawIntBits(out[i]), type + " output " + i);
        }
    }

    /**
     * Q8_0's kernel ({@link Q8_0Panels}) is the sequential F32 dot product of the exactly dequantized row with the
     * activation row: one FMA per column, in order, from 0, no reduction tree. Recomputed here in scalar steps, for
     * a row count that leaves the last panel partly empty and a batch of a group of 8 and one more sequence, on one
     * thread and on two (whose row ranges split a panel).
     */
    @Test
    void q8_0IsTheDequantizedRowDottedColumnByColumn() {
        SplittableRandom random = new SplittableRandom(8);
        Matrix m = randomMatrix(GgmlType.Q8_0, random);
        float[] x = randomActivations(random);
        float[] w = new float[COLS], expected = new float[MAX_BATCH * ROWS];
        for (int r = 0; r < ROWS; r++) {
            m.dequantizeRow(r, w, 0);
            for (int b = 0; b < MAX_BATCH; b++) {
                float acc = 0;
                for (int i = 0; i < COLS; i++) acc = Math.fma(w[i], x[b * COLS + i], acc);
                expected[b * ROWS + r] = acc;
            }
        }
        assertProduct(m, x, expected);
    }

    /**
     * Q4_0's kernel ({@link Q4_0Panels}): the activations rounded to 8 bits per block of 32 ({@code scale = amax /
     * 127}, {@code q = rint(x · 127 / amax)}), per block the exact integer {@code Σ (code - 8)·q}, then one FMA with
     * the product of the weights' and the activations' scales into the row's accumulator, blocks in order from 0.
     * Recomputed in scalar steps from the raw blocks, as for Q8_0.
     */
    @Test
    void q4_0SumsEachBlockInIntegersThenScalesIt() {
        SplittableRandom random = new SplittableRandom(4);
        Matrix m = randomMatrix(GgmlType.Q4_0, random);
        float[] x = randomActivations(random);
        for (int i = 32; i < 64; i++) x[i] = 0; // a block of zeros
        float[] expected = new float[MAX_BATCH * ROWS];
        for (int r = 0; r < ROWS; r++) {
            for (int b = 0; b < MAX_BATCH; b++) {
                float acc = 0;
                for (int blk = 0; blk < COLS / 32; blk++) {
                    int from = b * COLS + blk * 32;
                    float amax = 0;
                    for (int k = 0; k < 32; k++) amax = Math.max(amax, Math.abs(x[from + k]));
                    float inverse = amax == 0 ? 0 : 127f / amax;
                    long at = r * m.rowBytes + blk * 18L;
                    float d = Float.float16ToFloat(m.data.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, at));
                    int sigma = 0;
                    for (int k = 0; k < 32; k++) {
                        int packed = m.data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at + 2 + k % 16) & 0xFF;
                        int code = k < 16 ? packed & 0xF : packed >>> 4;
                        int q = (int) Math.rint(x[from + k] * inverse);
                        assertTrue(Math.abs(q) <= 127);
                        sigma += (code - 8) * q;
                    }
                    acc = Math.fma((float) sigma, d * (amax / 127f), acc);
                }
                expected[b * ROWS + r] = acc;
            }
        }
        assertProduct(m, x, expected);
    }

    /** Q4_0 rounds its activations to 8 bits, yet stays within what that rounding allows of the float product. */
    @Test
    void q4_0StaysCloseToTheFloatProduct() {
        SplittableRandom random = new SplittableRandom(5);
        Matrix m = randomMatrix(GgmlType.Q4_0, random);
        float[] x = randomActivations(random);
        float[] w = new float[COLS], out = new float[MAX_BATCH * ROWS];
        m.matmul(x, 0, MAX_BATCH, out, 0, Parallel.serial(), true);
        for (int r = 0; r < ROWS; r++) {
            m.dequantizeRow(r, w, 0);
            for (int b = 0; b < MAX_BATCH; b++) {
                double exact = 0, bound = 0;
                for (int i = 0; i < COLS; i++) {
                    exact += (double) w[i] * x[b * COLS + i];
                    bound += Math.abs(w[i]);
                }
                // Each activation moves by at most half its block's step, amax / 254 ≤ max|x| / 254.
                float maxX = 0;
                for (int i = 0; i < COLS; i++) maxX = Math.max(maxX, Math.abs(x[b * COLS + i]));
                assertEquals(exact, out[b * ROWS + r], bound * maxX / 254 + 1e-3, "row " + r + ", activation " + b);
            }
        }
    }

    /** The product of all {@link #MAX_BATCH} activation rows has the expected bits, on one thread and on two. */
    private static void assertProduct(Matrix m, float[] x, float[] expected) {
        try (Parallel two = new Parallel(2)) {
            for (Parallel parallel : new Parallel[] {Parallel.serial(), two}) {
                float[] out = new float[MAX_BATCH * ROWS];
                m.matmul(x, 0, MAX_BATCH, out, 0, parallel, true);
                for (int i = 0; i < out.length; i++) {
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(out[i]),
                            m.type() + ", " + parallel.threads() + " thread(s), activation " + i / ROWS + ", row " + i % ROWS);
                }
            }
        }
    }

    /**
     * A row range that starts and ends inside a panel of repacked rows (as a fused projection's share of rows may)
     * gets exactly the outputs of the whole product, and nothing outside the range is written.
     */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q4_0"})
    void rowRangesThatCutPanelsGiveTheWholeProductsBits(GgmlType type) {
        SplittableRandom random = new SplittableRandom(9);
        Matrix m = randomMatrix(type, random);
        float[] x = randomActivations(random);
        float[] whole = new float[ROWS];
        m.matmul(x, 0, 1, whole, 0, Parallel.serial(), true);
        for (int[] range : new int[][] {{5, 37}, {0, 3}, {17, 18}, {63, 71}}) {
            float[] out = new float[ROWS];
            java.util.Arrays.fill(out, Float.NaN);
            m.rows(x, 0, out, 0, range[0], range[1]);
            for (int r = 0; r < ROWS; r++) {
                boolean inside = r >= range[0] && r < range[1];
                assertEquals(inside ? Float.floatToRawIntBits(whole[r]) : Float.floatToRawIntBits(Float.NaN), Float.floatToRawIntBits(out[r]),
                        "rows " + range[0] + ".." + range[1] + ", row " + r);
            }
        }
    }

    /**
     * The panels go through groups of 3 panels and a partial last one, sequences in octets, a padded octet and
     * singles. More rows than a few groups, with a partial last panel, an odd and an even number of blocks, in
     * batches of one, two and a half octets: every output must still have the bits of its row alone.
     */
    @ParameterizedTest
    @CsvSource({"Q8_0, 71", "Q4_0, 70", "Q4_0, 71"})
    void octetsAcrossColumnChunksAndRowPassesKeepTheSingleRowBits(GgmlType type, int blocks) {
        int rows = 131, cols = 32 * blocks, maxBatch = 20;
        SplittableRandom random = new SplittableRandom(blocks);
        Matrix m = randomMatrix(type, random, rows, cols);
        float[] x = new float[maxBatch * cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
        float[] alone = new float[maxBatch * rows];
        for (int b = 0; b < maxBatch; b++) m.matmul(x, b * cols, 1, alone, b * rows, Parallel.serial(), true);
        try (Parallel two = new Parallel(2)) {
            for (int batch : new int[] {8, 9, 16, 20}) {
                float[] out = new float[batch * rows];
                m.matmul(x, 0, batch, out, 0, batch == 16 ? two : Parallel.serial(), true);
                for (int i = 0; i < out.length; i++) {
                    assertEquals(Float.floatToRawIntBits(alone[i]), Float.floatToRawIntBits(out[i]),
                            type + " batch " + batch + ", activation " + i / rows + ", row " + i % rows);
                }
            }
        }
    }

    private static Matrix randomMatrix(GgmlType type, SplittableRandom random) {
        return randomMatrix(type, random, ROWS, COLS);
    }

    private static Matrix randomMatrix(GgmlType type, SplittableRandom random, int rows, int cols) {
        float[] weights = new float[rows * cols];
        for (int i = 0; i < weights.length; i++) weights[i] = (float) random.nextGaussian();
        return Matrix.of(type, Quantizer.quantize(type, weights), rows, cols);
    }

    private static float[] randomActivations(SplittableRandom random) {
        float[] x = new float[MAX_BATCH * COLS];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
        return x;
    }
}
