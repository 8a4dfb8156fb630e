package dev.lectern.pipeline.classify;

/** How labels are compared with a document. */
public enum ClassifyMethod {
    /** Each label's prompt (template filled with its name and description) against the document. */
    ZERO_SHOT("zero-shot"),
    /** Each label's centroid of example embeddings against the document. */
    CENTROID("centroid"),
    /** Each label's score is the mean similarity of its k examples nearest to the document. */
    KNN("knn");

    private final String recordName;

    ClassifyMethod(String recordName) {
        this.recordName = recordName;
    }

    /** The name written in records and job configs. */
    public String recordName() {
        return recordName;
    }
}
