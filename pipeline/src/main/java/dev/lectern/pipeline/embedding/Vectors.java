package dev.lectern.pipeline.embedding;

import java.util.List;

/**
 * Small vector helpers for embeddings. Every sum runs in index order in double precision, so results never depend
 * on how work was split across threads.
 */
public final class Vectors {

    private Vectors() {
    }

    /** Dot product; for L2-normalized vectors this is their cosine similarity. */
    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vector sizes differ: " + a.length + " and " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    /**
     * Weighted mean of the vectors, scaled to unit length. A zero mean (no vectors, all weights zero, or vectors
     * that cancel out) stays the zero vector: it is similar to nothing.
     */
    public static float[] normalizedMean(List<float[]> vectors, double[] weights) {
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException("no vectors to average");
        }
        int dim = vectors.getFirst().length;
        double[] sum = new double[dim];
        for (int v = 0; v < vectors.size(); v++) {
            float[] vector = vectors.get(v);
            double weight = weights == null ? 1.0 : weights[v];
            for (int i = 0; i < dim; i++) {
                sum[i] += weight * vector[i];
            }
        }
        return normalize(sum);
    }

    /** Unweighted {@link #normalizedMean(List, double[])}. */
    public static float[] normalizedMean(List<float[]> vectors) {
        return normalizedMean(vectors, null);
    }

    private static float[] normalize(double[] v) {
        double squares = 0;
        for (double x : v) {
            squares += x * x;
        }
        float[] out = new float[v.length];
        if (squares == 0) {
            return out;
        }
        double scale = 1.0 / Math.sqrt(squares);
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * scale);
        }
        return out;
    }
}
