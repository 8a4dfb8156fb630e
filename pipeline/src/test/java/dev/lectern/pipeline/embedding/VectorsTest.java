package dev.lectern.pipeline.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class VectorsTest {

    @Test
    void dotOfUnitVectorsIsCosine() {
        assertEquals(1.0, Vectors.dot(new float[]{0.6f, 0.8f}, new float[]{0.6f, 0.8f}), 1e-6);
        assertEquals(0.0, Vectors.dot(new float[]{1, 0}, new float[]{0, 1}));
        assertThrows(IllegalArgumentException.class, () -> Vectors.dot(new float[2], new float[3]));
    }

    @Test
    void weightedMeanIsScaledToUnitLength() {
        float[] mean = Vectors.normalizedMean(List.of(new float[]{1, 0}, new float[]{0, 1}), new double[]{3, 1});
        assertArrayEquals(new float[]{(float) (3 / Math.sqrt(10)), (float) (1 / Math.sqrt(10))}, mean, 1e-6f);
    }

    @Test
    void vectorsThatCancelGiveTheZeroVector() {
        assertArrayEquals(new float[]{0, 0}, Vectors.normalizedMean(List.of(new float[]{1, 0}, new float[]{-1, 0})));
    }
}
