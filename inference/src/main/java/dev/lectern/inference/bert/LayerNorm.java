package dev.lectern.inference.bert;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code y = (x − mean(x)) / √(var(x) + eps) · weight + bias} over one hidden state. Mean and variance are summed in
 * a fixed order that depends only on the row length, so the result does not depend on threads or batch.
 */
public record LayerNorm(float[] weight, float[] bias, float eps) {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    public LayerNorm {
        if (weight.length != bias.length) {
            throw new IllegalArgumentException("LayerNorm weight has " + weight.length + " values, bias " + bias.length);
        }
    }

    public int size() {
        return weight.length;
    }

    /**
     * Normalizes {@code x[offset, offset + size())} in place. Vectorized: each lane accumulates its own partial sum
     * in float, and the lanes are added in double in lane order; the row's last values go through the same lanes
     * under a mask. The order depends only on the row length and the lane count, never on the batch or threads.
     */
    public void applyInPlace(float[] x, int offset) {
        int n = weight.length;
        int end = offset + n;
        FloatVector sums = FloatVector.zero(S);
        for (int i = offset; i < end; i += S.length()) {
            sums = sums.add(FloatVector.fromArray(S, x, i, S.indexInRange(i, end)));
        }
        float mean = (float) (laneSum(sums) / n);
        FloatVector squares = FloatVector.zero(S);
        for (int i = offset; i < end; i += S.length()) {
            VectorMask<Float> live = S.indexInRange(i, end);
            FloatVector centered = FloatVector.fromArray(S, x, i, live).sub(mean);
            squares = centered.fma(centered, squares).blend(squares, live.not());
        }
        float inverseStd = (float) (1.0 / Math.sqrt(laneSum(squares) / n + eps));
        for (int i = offset; i < end; i += S.length()) {
            VectorMask<Float> live = S.indexInRange(i, end);
            FloatVector w = FloatVector.fromArray(S, weight, i - offset, live);
            FloatVector b = FloatVector.fromArray(S, bias, i - offset, live);
            FloatVector.fromArray(S, x, i, live).sub(mean).mul(inverseStd).fma(w, b).intoArray(x, i, live);
        }
    }

    private static double laneSum(FloatVector lanes) {
        double sum = 0;
        for (int lane = 0; lane < S.length(); lane++) {
            sum += lanes.lane(lane);
        }
        return sum;
    }
}
