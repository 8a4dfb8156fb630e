package dev.lectern.inference.tensor;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A matrix built from its transpose ({@link Matrix#ofColumns}, the panel layout) gives exactly the bits of the
 * row-major F32 matrix of the same values in every batched product, with and without a bias, at any thread count,
 * including shapes whose rows do not fill the last panel and batches that do not fill the last tile.
 */
class F32PanelMatrixTest {

    @Test
    void batchedProductsEqualTheRowMajorMatrixBitForBit() {
        int[][] shapes = {{384, 384}, {40, 24}, {33, 7}, {100, 96}, {1, 5}};
        SplittableRandom random = new SplittableRandom(3);
        try (Parallel two = new Parallel(2)) {
            for (int[] shape : shapes) {
                int rows = shape[0], cols = shape[1];
                float[] weights = gaussian(random, rows * cols);
                float[] columns = new float[rows * cols];
                for (int r = 0; r < rows; r++) {
                    for (int k = 0; k < cols; k++) columns[k * rows + r] = weights[r * cols + k];
                }
                Matrix rowMajor = Matrix.ofFloats(weights, rows, cols);
                Matrix panels = Matrix.ofColumns(columns, rows, cols);
                float[] bias = gaussian(random, rows);
                for (int batch : new int[] {2, 3, 7, 8, 9, 17, 35}) {
                    float[] x = gaussian(random, batch * cols);
                    String what = rows + " x " + cols + ", batch " + batch;
                    float[] expected = new float[batch * rows];
                    rowMajor.matmul(x, 0, batch, expected, 0, Parallel.serial());
                    float[] actual = new float[batch * rows];
                    panels.matmul(x, 0, batch, actual, 0, two);
                    assertArrayEquals(expected, actual, what);
                    for (int b = 0; b < batch; b++) {
                        for (int r = 0; r < rows; r++) expected[b * rows + r] += bias[r];
                    }
                    panels.matmul(x, 0, batch, actual, 0, bias, batch % 2 == 0 ? two : Parallel.serial());
                    assertArrayEquals(expected, actual, what + " with bias");
                }
                float[] row = new float[cols];
                float[] expectedRow = new float[cols];
                for (int r = 0; r < rows; r += Math.max(1, rows / 5)) {
                    panels.dequantizeRow(r, row, 0);
                    rowMajor.dequantizeRow(r, expectedRow, 0);
                    assertArrayEquals(expectedRow, row, "row " + r);
                }
            }
        }
    }

    @Test
    void rejectsAnArrayOfTheWrongSize() {
        assertThrows(IllegalArgumentException.class, () -> Matrix.ofColumns(new float[11], 3, 4));
        assertEquals(4, Matrix.ofColumns(new float[12], 3, 4).cols());
    }

    private static float[] gaussian(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float) random.nextGaussian();
        return values;
    }
}
