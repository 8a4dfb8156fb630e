package dev.lectern.pipeline.classify;

import java.util.List;

import dev.lectern.pipeline.embedding.Vectors;

/**
 * One unit vector per label (a zero-shot prompt's embedding, or the centroid of the label's examples); a label's
 * similarity is its cosine with the document.
 */
public final class PrototypeScorer implements LabelScorer {

    private final List<float[]> prototypes;

    public PrototypeScorer(List<float[]> prototypes) {
        this.prototypes = List.copyOf(prototypes);
    }

    @Override
    public double[] similarities(float[] document) {
        double[] similarities = new double[prototypes.size()];
        for (int l = 0; l < similarities.length; l++) {
            similarities[l] = Vectors.dot(document, prototypes.get(l));
        }
        return similarities;
    }
}
