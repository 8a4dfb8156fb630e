package dev.lectern.inference.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SamplerTest {

    private static float[] logitsOf(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(probabilities[i]);
        }
        return logits;
    }

    private static int[] draws(SamplingParameters p, float[] logits, int count) {
        Sampler sampler = new Sampler(p, logits.length);
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = sampler.sample(logits);
        }
        return ids;
    }

    private static double[] frequencies(int[] ids, int vocabulary) {
        double[] f = new double[vocabulary];
        for (int id : ids) {
            f[id] += 1.0 / ids.length;
        }
        return f;
    }

    @Test
    void argmaxTakesTheLowestIdOnTies() {
        assertEquals(1, Sampler.argmax(new float[] {0f, 3f, 1f, 3f}));
        assertEquals(2, Sampler.argmax(new float[] {Float.NaN, -1f, 5f, Float.NaN}));
        assertEquals(0, Sampler.argmax(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}));
    }

    @Test
    void greedyIgnoresTheSeedAndLeavesLogitsAlone() {
        float[] logits = {0.5f, 2f, 2f, -1f};
        float[] copy = logits.clone();
        assertArrayEquals(new int[] {1, 1, 1}, draws(SamplingParameters.greedy().withSeed(7), logits, 3));
        assertArrayEquals(copy, logits);
    }

    @Test
    void sameSeedSameTokensOtherSeedOtherTokens() {
        float[] logits = logitsOf(0.25, 0.25, 0.25, 0.25);
        SamplingParameters p = new SamplingParameters(1f, 0, 1f, 0f, 1f, 0, 42L);
        int[] a = draws(p, logits, 64);
        assertArrayEquals(a, draws(p, logits, 64));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(draws(p.withSeed(43L), logits, 64)));
    }

    @Test
    void drawsFollowTheSoftmaxAtTemperatureOne() {
        double[] expected = {0.5, 0.3, 0.2};
        double[] f = frequencies(draws(new SamplingParameters(1f, 0, 1f, 0f, 1f, 0, 1L), logitsOf(expected), 20_000), 3);
        for (int i = 0; i < 3; i++) {
            assertEquals(expected[i], f[i], 0.015, "token " + i);
        }
    }

    @Test
    void temperatureSharpensAndFlattens() {
        float[] logits = logitsOf(0.5, 0.3, 0.2);
        // At T = 0.5 probabilities go as p^2: 0.25, 0.09, 0.04 -> 0.658, 0.237, 0.105.
        double[] sharp = frequencies(draws(new SamplingParameters(0.5f, 0, 1f, 0f, 1f, 0, 3L), logits, 20_000), 3);
        assertEquals(0.658, sharp[0], 0.015);
        assertEquals(0.105, sharp[2], 0.015);
        double[] flat = frequencies(draws(new SamplingParameters(100f, 0, 1f, 0f, 1f, 0, 3L), logits, 20_000), 3);
        assertEquals(1.0 / 3, flat[2], 0.02);
    }

    @Test
    void topKKeepsTheKMostLikely() {
        float[] logits = logitsOf(0.1, 0.4, 0.05, 0.3, 0.15);
        double[] f = frequencies(draws(new SamplingParameters(1f, 2, 1f, 0f, 1f, 0, 5L), logits, 10_000), 5);
        assertEquals(0.0, f[0] + f[2] + f[4]);
        assertEquals(0.4 / 0.7, f[1], 0.02);
        assertArrayEquals(new int[] {1, 1, 1, 1}, draws(new SamplingParameters(5f, 1, 1f, 0f, 1f, 0, 5L), logits, 4));
    }

    @Test
    void topKBreaksTiesByLowestId() {
        float[] logits = {1f, 2f, 2f, 2f, 0f};
        double[] f = frequencies(draws(new SamplingParameters(1f, 2, 1f, 0f, 1f, 0, 9L), logits, 2_000), 5);
        assertTrue(f[1] > 0.4 && f[2] > 0.4, java.util.Arrays.toString(f));
        assertEquals(0.0, f[3]);
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        float[] logits = logitsOf(0.05, 0.5, 0.3, 0.15);
        // sorted: 0.5, 0.3 (cumulative 0.8 >= 0.75), so only tokens 1 and 2 remain
        double[] f = frequencies(draws(new SamplingParameters(1f, 0, 0.75f, 0f, 1f, 0, 11L), logits, 10_000), 4);
        assertEquals(0.0, f[0] + f[3]);
        assertEquals(0.5 / 0.8, f[1], 0.02);
    }

    @Test
    void minPDropsTokensFarBelowTheBest() {
        float[] logits = logitsOf(0.5, 0.3, 0.12, 0.08);
        // min-p 0.2: threshold 0.1 -> token 3 (0.08) is dropped, token 2 (0.12) stays
        double[] f = frequencies(draws(new SamplingParameters(1f, 0, 1f, 0.2f, 1f, 0, 13L), logits, 10_000), 4);
        assertEquals(0.0, f[3]);
        assertEquals(0.12 / 0.92, f[2], 0.015);
    }

    @Test
    void topPIsMeasuredOnTheWholeVocabularyWhenMinPPrunesFirst() {
        // sorted: 0.4, 0.3, 0.2, 0.06, 0.04. min-p 0.12 keeps p >= 0.048 (four tokens). top-p 0.85 keeps three
        // (0.9). top-p 0.93 needs four (0.96); renormalized over min-p's four it would stop at three
        // (0.9 / 0.96 = 0.9375), so drawing the 0.06 token shows top-p sees the whole vocabulary, as in
        // llama.cpp's order (top-p before min-p).
        float[] logits = logitsOf(0.04, 0.3, 0.4, 0.2, 0.06);
        double[] f = frequencies(draws(new SamplingParameters(1f, 0, 0.85f, 0.12f, 1f, 0, 17L), logits, 10_000), 5);
        assertEquals(0.0, f[0] + f[4]);
        assertEquals(0.4 / 0.9, f[2], 0.02);
        double[] g = frequencies(draws(new SamplingParameters(1f, 0, 0.93f, 0.12f, 1f, 0, 17L), logits, 10_000), 5);
        assertEquals(0.0, g[0]);
        assertEquals(0.06 / 0.96, g[4], 0.01);
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        SamplingParameters p = SamplingParameters.greedy().withRepetitionPenalty(1.1f, 4);
        Sampler sampler = new Sampler(p, 3);
        float[] logits = {2.0f, 1.9f, -5f};
        assertEquals(0, sampler.sample(logits));
        sampler.accept(0);
        assertEquals(1, sampler.sample(logits)); // 2.0 / 1.1 = 1.82 < 1.9
        sampler.accept(1);
        assertEquals(0, sampler.sample(logits)); // both penalized: 1.82 > 1.73
        // a token only repeats when the others are pushed below it: -5 * 1.1 stays lowest
        float[] negative = {-1f, -1.05f, -9f};
        Sampler s2 = new Sampler(p, 3);
        s2.accept(0);
        assertEquals(1, s2.sample(negative)); // -1.1 < -1.05
        // the window forgets old tokens
        Sampler s3 = new Sampler(p.withRepetitionPenalty(1.1f, 1), 3);
        s3.accept(0);
        s3.accept(2);
        assertEquals(0, s3.sample(logits));
    }

    @Test
    void rejectsBadParametersAndInputs() {
        assertThrows(IllegalArgumentException.class, () -> new SamplingParameters(-1f, 0, 1f, 0f, 1f, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParameters(1f, -2, 1f, 0f, 1f, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParameters(1f, 0, 0f, 0f, 1f, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParameters(1f, 0, 1f, 1.5f, 1f, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParameters(1f, 0, 1f, 0f, 0f, 0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Sampler(SamplingParameters.greedy(), 4).sample(new float[3]));
        assertTrue(e.getMessage().contains("expected 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Sampler(SamplingParameters.greedy(), 4).accept(4));
    }
}
