package dev.lectern.inference.tensor;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.gguf.GgufTensor;
import dev.lectern.inference.gguf.TestModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Checks every tensor type against ggml's own results in {@code quant-zoo.gguf} (see models/PROVENANCE.md):
 * {@code W.t} is a quantized 8 × 256 matrix, {@code deq.t} ggml's dequantization of it, {@code mm.t} ggml's CPU
 * product with the 3 × 256 activations {@code x}.
 */
class QuantZooTest {

    static final GgufFile ZOO = GgufFile.open(TestModels.shared("models/quant/quant-zoo.gguf"));

    /** The 16 types quant-zoo holds. */
    enum ZooType {
        F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL, IQ4_XS, MXFP4;

        GgmlType ggml() {
            return GgmlType.valueOf(name());
        }
    }

    @ParameterizedTest
    @EnumSource(ZooType.class)
    void dequantizationIsBitExact(ZooType zt) {
        GgmlType t = zt.ggml();
        assertTrue(Matrix.supports(t), "kernels for " + t);
        GgufTensor w = ZOO.tensor("W." + t.ggmlName());
        assertEquals(t, w.type());
        Matrix m = w.matrix();
        assertEquals(8, m.rows());
        assertEquals(256, m.cols());
        float[] expected = ZOO.tensor("deq." + t.ggmlName()).toFloatArray();
        float[] row = new float[256 + 3];
        for (int r = 0; r < 8; r++) {
            m.dequantizeRow(r, row, 3);
            for (int i = 0; i < 256; i++) {
                float e = expected[r * 256 + i];
                if (Float.floatToRawIntBits(e) != Float.floatToRawIntBits(row[3 + i])) {
                    fail(t + " row " + r + " col " + i + ": expected " + e + " got " + row[3 + i]);
                }
            }
        }
    }

    /**
     * ggml rounds the activations to the weight type's "vec_dot type" before multiplying; we keep them F32 (except
     * in Q4_0's batch-invariant product, which rounds them to Q8_0's blocks as ggml does). So
     * each output may differ from ggml's by at most the activation rounding error times the weights,
     * {@code Σ_i |w_i| · δ_i}, where δ_i bounds the rounding of x_i:
     * <ul>
     * <li>Q8_0 / Q8_1 blocks of 32 (Q4_0, Q5_0, Q8_0, IQ4_NL, MXFP4 / Q4_1, Q5_1): half a step of
     *     {@code amax/127}; we allow a full step to cover the F16 rounding of the block scale;</li>
     * <li>Q8_K blocks of 256 (the K-quants and IQ4_XS): likewise with the 256-value block's amax;</li>
     * <li>F16: half an ulp, {@code |x_i| · 2^-11}; BF16: {@code |x_i| · 2^-8}; F32: none.</li>
     * </ul>
     * Q8_1 also stores the block sum {@code d·Σq} as F16, which ggml multiplies by the weight block's minimum; that
     * adds {@code max|w| · |Σ x| · 2^-10} per block. On top comes float summation-order noise: {@code 2e-5 · Σ|w_i x_i|}
     * (256 terms × 2^-24 × a margin of 1.3).
     */
    @ParameterizedTest
    @EnumSource(ZooType.class)
    void matmulAgreesWithGgmlWithinActivationRounding(ZooType zt) {
        GgmlType t = zt.ggml();
        assertTrue(Matrix.supports(t), "kernels for " + t);
        Matrix m = ZOO.tensor("W." + t.ggmlName()).matrix();
        float[] w = ZOO.tensor("deq." + t.ggmlName()).toFloatArray();
        float[] x = ZOO.tensor("x").toFloatArray();
        float[] mm = ZOO.tensor("mm." + t.ggmlName()).toFloatArray();
        float[] out = new float[3 * 8];
        float[] outThreads = new float[3 * 8];
        m.matmul(x, 3, out);
        try (Parallel p = new Parallel(2)) {
            m.matmul(x, 3, outThreads, p);
        }
        assertArrayEquals(out, outThreads);
        for (int b = 0; b < 3; b++) {
            float[] one = new float[8];
            m.matmul(x, b * 256, 1, one, 0, Parallel.serial());
            for (int r = 0; r < 8; r++) {
                double exact = 0, absSum = 0, bound = 0;
                for (int i = 0; i < 256; i++) {
                    exact += (double) w[r * 256 + i] * x[b * 256 + i];
                    absSum += Math.abs((double) w[r * 256 + i] * x[b * 256 + i]);
                }
                bound = activationRoundingBound(t, w, r, x, b) + 2e-5 * absSum;
                String where = t + " out[" + b + "][" + r + "]";
                // Our kernels against exact arithmetic on ggml's dequantized weights: float noise only.
                assertEquals(exact, out[b * 8 + r], 2e-5 * absSum, where + " (batched) vs exact");
                // A single row goes through the batch-invariant product, which for Q4_0 rounds the activations as ggml does.
                double roundsActivations = t == GgmlType.Q4_0 ? activationRoundingBound(t, w, r, x, b) : 0;
                assertEquals(exact, one[r], roundsActivations + 2e-5 * absSum, where + " (single row) vs exact");
                // Against ggml's product, which rounded the activations.
                assertEquals(mm[b * 8 + r], out[b * 8 + r], bound, where + " vs ggml mul_mat");
                assertEquals(mm[b * 8 + r], one[r], bound, where + " (single row) vs ggml mul_mat");
            }
        }
    }

    private static double activationRoundingBound(GgmlType t, float[] w, int r, float[] x, int b) {
        int block = switch (t) {
            case Q4_0, Q5_0, Q8_0, IQ4_NL, MXFP4, Q4_1, Q5_1 -> 32;
            case Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_XS -> 256;
            default -> 0;
        };
        double bound = 0;
        if (block == 0) {
            double rel = switch (t) {
                case F16 -> Math.scalb(1.0, -11);
                case BF16 -> Math.scalb(1.0, -8);
                default -> 0;
            };
            for (int i = 0; i < 256; i++) bound += Math.abs(w[r * 256 + i]) * Math.abs(x[b * 256 + i]) * rel;
            return bound;
        }
        for (int s = 0; s < 256; s += block) {
            double amax = 0, sumX = 0, wmax = 0, wabs = 0;
            for (int i = s; i < s + block; i++) {
                amax = Math.max(amax, Math.abs(x[b * 256 + i]));
                sumX += x[b * 256 + i];
                wmax = Math.max(wmax, Math.abs(w[r * 256 + i]));
                wabs += Math.abs(w[r * 256 + i]);
            }
            bound += wabs * amax / 127;
            if (t == GgmlType.Q4_1 || t == GgmlType.Q5_1) bound += wmax * Math.abs(sumX) * Math.scalb(1.0, -10);
        }
        return bound;
    }
}
