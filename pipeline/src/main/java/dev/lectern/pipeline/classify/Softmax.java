package dev.lectern.pipeline.classify;

/** Softmax with a temperature: {@code p_i = exp(s_i / T) / Σ_j exp(s_j / T)}. */
public final class Softmax {

    private Softmax() {
    }

    public static double[] probabilities(double[] scores, double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
        if (scores.length == 0) {
            return new double[0];
        }
        // Subtracting the largest score keeps exp() from overflowing and does not change the result.
        double max = Double.NEGATIVE_INFINITY;
        for (double score : scores) {
            max = Math.max(max, score);
        }
        double[] p = new double[scores.length];
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            p[i] = Math.exp((scores[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
