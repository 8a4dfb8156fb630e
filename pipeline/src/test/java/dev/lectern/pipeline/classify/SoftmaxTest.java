package dev.lectern.pipeline.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SoftmaxTest {

    @Test
    void equalScoresGiveEqualProbabilities() {
        assertArrayEquals(new double[]{0.25, 0.25, 0.25, 0.25}, Softmax.probabilities(new double[]{0.3, 0.3, 0.3, 0.3}, 0.05), 1e-12);
    }

    @Test
    void lowerTemperatureIsMoreDecisive() {
        double[] scores = {0.5, 0.4};
        double warm = Softmax.probabilities(scores, 1.0)[0];
        double cold = Softmax.probabilities(scores, 0.05)[0];
        assertEquals(1 / (1 + Math.exp(-0.1)), warm, 1e-12);
        assertEquals(1 / (1 + Math.exp(-2)), cold, 1e-12);
        assertTrue(cold > warm);
    }

    @Test
    void hugeScoresDoNotOverflow() {
        double[] p = Softmax.probabilities(new double[]{1000, 999}, 0.01);
        assertEquals(1.0, p[0] + p[1], 1e-12);
        assertTrue(p[0] > 0.99);
    }

    @Test
    void temperatureMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> Softmax.probabilities(new double[]{1}, 0));
    }
}
