package dev.lectern.inference.model;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The shared operations against direct evaluations of their definitions. */
class OpsTest {

    @Test
    void rmsNormDividesByRootMeanSquareThenScales() {
        float[] x = {1, 2, 3, 4};
        float[] w = {1, 0.5f, 2, 1};
        float[] out = new float[4];
        Norms.rmsNorm(x, 0, w, 0f, out, 0, 4);
        float rms = (float) Math.sqrt((1 + 4 + 9 + 16) / 4.0);
        assertArrayEquals(new float[] {1 / rms, 1 / rms, 6 / rms, 4 / rms}, out, 1e-6f);
    }

    @Test
    void layerNormCentersAndScales() {
        float[] x = {1, 2, 3, 4};
        float[] out = new float[4];
        Norms.layerNorm(x, 0, new float[] {1, 1, 1, 1}, new float[] {0, 0, 0, 1}, 0f, out, 0, 4);
        float sd = (float) Math.sqrt(1.25);
        assertArrayEquals(new float[] {-1.5f / sd, -0.5f / sd, 0.5f / sd, 1.5f / sd + 1}, out, 1e-6f);
    }

    @Test
    void softmaxSumsToOneAndSinkTakesMass() {
        float[] p = {1, 2, 3};
        Softmax.softmax(p, 0, 3);
        assertEquals(1.0, p[0] + p[1] + p[2], 1e-6);
        assertEquals(Math.exp(1) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), p[0], 1e-6);

        float[] s = {0, 0};
        Softmax.softmaxWithSink(s, 0, 2, 0f);
        assertArrayEquals(new float[] {1f / 3, 1f / 3}, s, 1e-6f);
    }

    @Test
    void swigluAndClampedSwiglu() {
        float[] g = {1f, -2f};
        Activations.swiglu(g, 0, new float[] {2f, 3f}, 0, 2);
        assertEquals(2 * (1 / (1 + Math.exp(-1))), g[0], 1e-6);
        assertEquals(3 * (-2 / (1 + Math.exp(2))), g[1], 1e-6);

        float[] gate = {10f, 1f};
        float[] up = {-9f, 0.5f};
        Activations.clampedSwiglu(gate, 0, up, 0, 2, 1.702f, 7f);
        assertEquals(7 / (1 + Math.exp(-1.702 * 7)) * (-7 + 1), gate[0], 1e-5);
        assertEquals(1 / (1 + Math.exp(-1.702)) * 1.5, gate[1], 1e-6);
    }

    @Test
    void normalRopeRotatesAdjacentPairsAndNeoxRotatesHalves() {
        int d = 8;
        float base = 10000f;
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        int pos = 3;
        float[] cs = new float[d];

        Rope normal = new Rope(d, false, base, 1f, null, null);
        normal.angles(pos, cs);
        float[] a = x.clone();
        normal.rotate(a, 0, 1, d, cs);
        for (int i = 0; i < d / 2; i++) {
            double theta = pos * Math.pow(base, -2.0 * i / d);
            assertEquals(x[2 * i] * Math.cos(theta) - x[2 * i + 1] * Math.sin(theta), a[2 * i], 1e-5);
            assertEquals(x[2 * i] * Math.sin(theta) + x[2 * i + 1] * Math.cos(theta), a[2 * i + 1], 1e-5);
        }

        Rope neox = new Rope(d, true, base, 1f, null, null);
        float[] b = x.clone();
        neox.rotate(b, 0, 1, d, cs);
        for (int i = 0; i < d / 2; i++) {
            double theta = pos * Math.pow(base, -2.0 * i / d);
            assertEquals(x[i] * Math.cos(theta) - x[i + d / 2] * Math.sin(theta), b[i], 1e-5);
            assertEquals(x[i] * Math.sin(theta) + x[i + d / 2] * Math.cos(theta), b[i + d / 2], 1e-5);
        }
    }

    @Test
    void ropeFreqFactorsDivideTheAngleAndPartialRotationLeavesTheRest() {
        float[] factors = {1f, 4f};
        Rope rope = new Rope(4, false, 100f, 1f, factors, null);
        float[] cs = new float[4];
        rope.angles(5, cs);
        assertEquals(Math.cos(5.0), cs[0], 1e-6);
        assertEquals(Math.cos(5.0 * Math.pow(100, -0.5) / 4), cs[2], 1e-6);
        float[] x = {1, 0, 1, 0, 9, 9};
        rope.rotate(x, 0, 1, 6, cs);
        assertEquals(9f, x[4]);
        assertEquals(9f, x[5]);
    }

    @Test
    void yarnBlendsInterpolationAndExtrapolationAndScalesMagnitude() {
        // YaRN as in the paper / llama.cpp: high-frequency pairs (low index) keep their angle (extrapolation),
        // low-frequency pairs are interpolated by 1/factor, and every cos/sin is scaled by 1 + 0.1 ln(factor).
        int d = 64;
        float factor = 32f;
        Rope yarn = new Rope(d, true, 150000f, 1f / factor, null, new Rope.Yarn(1f, 1f, 32f, 1f, 4096));
        float[] cs = new float[d];
        int pos = 1000;
        yarn.angles(pos, cs);
        double mscale = 1 + 0.1 * Math.log(factor);
        assertEquals(Math.cos(pos) * mscale, cs[0], 1e-4);
        double lastTheta = pos * Math.pow(150000, -2.0 * 31 / d);
        assertEquals(Math.cos(lastTheta / factor) * mscale, cs[62], 1e-4);
    }

    @Test
    void attentionIsCausalAndGroupedAndSlidingWindowForgets() {
        Random rnd = new Random(7);
        int hd = 4;
        int window = 3;
        LayerKvCache full = LayerKvCache.full(1, hd, hd, 32);
        LayerKvCache ring = LayerKvCache.slidingWindow(1, hd, hd, window, 32, 2);
        float[][] keys = new float[10][hd];
        float[][] values = new float[10][hd];
        for (int p = 0; p < 10; p++) {
            for (int i = 0; i < hd; i++) {
                keys[p][i] = rnd.nextFloat() - 0.5f;
                values[p][i] = rnd.nextFloat() - 0.5f;
            }
            full.store(p, keys[p], 0, values[p], 0);
            ring.store(p, keys[p], 0, values[p], 0);
        }
        float[] q = {0.3f, -0.2f, 0.5f, 0.1f};
        float[] scores = new float[16];
        float[] out = new float[hd];
        Attention.attendHead(q, 0, full, 0, 6, 0.5f, Float.NEGATIVE_INFINITY, scores, out, 0, hd, hd);
        assertArrayEquals(expected(q, keys, values, 0, 6, 0.5f), out, 1e-6f);
        Attention.attendHead(q, 0, ring, 0, 9, 0.5f, Float.NEGATIVE_INFINITY, scores, out, 0, hd, hd);
        assertArrayEquals(expected(q, keys, values, 9 - window + 1, 9, 0.5f), out, 1e-6f);
        // The window's memory is bounded: window + batch rows − 1 slots, however many positions went through.
        assertEquals((window + 2 - 1) * hd, ring.keys().length);
    }

    private static float[] expected(float[] q, float[][] k, float[][] v, int from, int to, float scale) {
        double[] w = new double[to - from + 1];
        double sum = 0;
        for (int t = from; t <= to; t++) {
            double s = 0;
            for (int i = 0; i < q.length; i++) s += q[i] * k[t][i];
            w[t - from] = Math.exp(s * scale);
            sum += w[t - from];
        }
        float[] out = new float[q.length];
        for (int t = from; t <= to; t++) {
            for (int i = 0; i < q.length; i++) out[i] += (float) (w[t - from] / sum * v[t][i]);
        }
        return out;
    }

    @Test
    void kvCacheRefusesTokensBeyondTheContext() {
        KvCache cache = new KvCache(new LayerKvCache[] {LayerKvCache.full(1, 2, 2, 4)}, 4);
        assertEquals(0, cache.reserve(3));
        ContextOverflowException e = assertThrows(ContextOverflowException.class, () -> cache.reserve(2));
        assertEquals("context overflow: 3 tokens held + 2 new > context length 4", e.getMessage());
    }
}
