package dev.lectern.inference.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The batch-invariant product (what multi-sequence decoding runs): every output is bit for bit the type's
 * single-row {@link Matrix#dot}, for any batch size and thread count. Runs under every vector width the build tests.
 */
class BatchInvariantMatmulTest {

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "MXFP4"})
    void everyOutputIsTheSingleRowDotWhateverTheBatch(GgmlType type) {
        int rows = 70, cols = 256;
        SplittableRandom random = new SplittableRandom(type.ordinal());
        float[] weights = new float[rows * cols];
        for (int i = 0; i < weights.length; i++) weights[i] = (float) random.nextGaussian();
        Matrix m = Matrix.of(type, Quantizer.quantize(type, weights), rows, cols);
        int maxBatch = 9;
        float[] x = new float[maxBatch * cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
        try (Parallel two = new Parallel(2)) {
            for (int batch = 1; batch <= maxBatch; batch++) {
                float[] out = new float[batch * rows];
                m.matmul(x, 0, batch, out, 0, batch % 2 == 0 ? two : Parallel.serial(), true);
                for (int b = 0; b < batch; b++) {
                    for (int r = 0; r < rows; r++) {
                        assertEquals(Float.floatToRawIntBits(m.dot(r, x, b * cols)), Float.floatToRawIntBits(out[b * rows + r]),
                                type + " batch " + batch + ", activation " + b + ", row " + r);
                    }
                }
            }
        }
    }
}
