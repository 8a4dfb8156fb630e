package dev.lectern.pipeline.summarize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class MaximalMarginalRelevanceTest {

    private static final float[] X = {1, 0, 0};
    private static final float[] NEAR_X = {0.9f, (float) Math.sqrt(1 - 0.81), 0}; // cosine 0.9 with X
    private static final float[] Y = {0, 1, 0};
    private static final float[] Z = {0, 0, 1};

    @Test
    void relevanceAloneWhenLambdaIsOne() {
        List<Integer> picked = new MaximalMarginalRelevance(1.0)
                .select(List.of(X, NEAR_X, Y), new double[]{0.9, 0.85, 0.5}, new int[]{1, 1, 1}, 2, 0);
        assertEquals(List.of(0, 1), picked);
    }

    @Test
    void redundancyPenaltyPrefersANewPoint() {
        List<Integer> picked = new MaximalMarginalRelevance(0.5)
                .select(List.of(X, NEAR_X, Y), new double[]{0.9, 0.85, 0.5}, new int[]{1, 1, 1}, 2, 0);
        assertEquals(List.of(0, 2), picked);
    }

    @Test
    void neverPicksADuplicateEvenWithoutPenalty() {
        List<Integer> picked = new MaximalMarginalRelevance(1.0)
                .select(List.of(X, X, Y), new double[]{0.9, 0.9, 0.1}, new int[]{1, 1, 1}, 3, 0);
        assertEquals(List.of(0, 2), picked);
    }

    @Test
    void passesOverWhatDoesNotFitTheTokenBudget() {
        List<Integer> picked = new MaximalMarginalRelevance(0.7)
                .select(List.of(X, Y, Z), new double[]{0.9, 0.5, 0.4}, new int[]{10, 3, 3}, 3, 6);
        assertEquals(List.of(1, 2), picked);
    }

    @Test
    void stopsAtTheSentenceBudget() {
        List<Integer> picked = new MaximalMarginalRelevance(0.7)
                .select(List.of(X, Y, Z), new double[]{0.9, 0.5, 0.4}, new int[]{1, 1, 1}, 1, 0);
        assertEquals(List.of(0), picked);
    }

    @Test
    void tiesGoToTheEarlierCandidate() {
        List<Integer> picked = new MaximalMarginalRelevance(0.7)
                .select(List.of(Z, Y, X), new double[]{0.5, 0.5, 0.5}, new int[]{1, 1, 1}, 3, 0);
        assertEquals(List.of(0, 1, 2), picked);
    }

    @Test
    void everySectionIsRepresentedBeforeAnyGetsASecondPick() {
        List<Integer> picked = new MaximalMarginalRelevance(1.0).select(List.of(X, Y, Z),
                new double[]{0.9, 0.8, 0.1}, new int[]{1, 1, 1}, 2, 0, new int[]{0, 0, 1});
        assertEquals(List.of(0, 2), picked);
        List<Integer> thenFree = new MaximalMarginalRelevance(1.0).select(List.of(X, Y, Z),
                new double[]{0.9, 0.8, 0.1}, new int[]{1, 1, 1}, 3, 0, new int[]{0, 0, 1});
        assertEquals(List.of(0, 2, 1), thenFree);
    }

    @Test
    void rejectsLambdaOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> new MaximalMarginalRelevance(1.5));
    }
}
