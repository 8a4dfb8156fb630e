package dev.lectern.pipeline.classify;

/** Scores a document embedding against every label: one cosine-like similarity per label, in label order. */
public interface LabelScorer {

    double[] similarities(float[] document);
}
