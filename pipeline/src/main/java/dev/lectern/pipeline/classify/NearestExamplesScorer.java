package dev.lectern.pipeline.classify;

import java.util.Arrays;
import java.util.List;

import dev.lectern.pipeline.embedding.Vectors;

/**
 * k-nearest-neighbour scoring: a label's similarity is the mean cosine of its k examples closest to the document
 * (all of them when it has fewer). Unlike a centroid, this lets a label cover several distinct kinds of document.
 */
public final class NearestExamplesScorer implements LabelScorer {

    private final List<List<float[]>> examplesPerLabel;
    private final int k;

    public NearestExamplesScorer(List<List<float[]>> examplesPerLabel, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        for (List<float[]> examples : examplesPerLabel) {
            if (examples.isEmpty()) {
                throw new IllegalArgumentException("every label needs at least one example");
            }
        }
        this.examplesPerLabel = examplesPerLabel.stream().map(List::copyOf).toList();
        this.k = k;
    }

    @Override
    public double[] similarities(float[] document) {
        double[] similarities = new double[examplesPerLabel.size()];
        for (int l = 0; l < similarities.length; l++) {
            List<float[]> examples = examplesPerLabel.get(l);
            double[] cosines = new double[examples.size()];
            for (int e = 0; e < cosines.length; e++) {
                cosines[e] = Vectors.dot(document, examples.get(e));
            }
            Arrays.sort(cosines);
            int take = Math.min(k, cosines.length);
            double sum = 0;
            for (int i = cosines.length - 1; i >= cosines.length - take; i--) {
                sum += cosines[i];
            }
            similarities[l] = sum / take;
        }
        return similarities;
    }
}
