package dev.lectern.pipeline.embedding;

import java.util.List;

/**
 * The one thing the summarize and classify tasks need from a sentence-embedding model. Implementations are
 * thread-safe and deterministic: the same text always gives the same vector, whatever else is in the batch.
 */
public interface Embedder {

    /**
     * @param texts texts that each fit {@link #maxTokens()}; callers split longer text first and never rely on the
     *              model truncating it
     * @return one L2-normalized vector per text, in the same order
     */
    float[][] embed(List<String> texts);

    /** Number of model tokens the text becomes, not counting the special tokens the model adds around it. */
    int countTokens(String text);

    /** Most tokens one text may have (special tokens excluded) before the model would truncate it. */
    int maxTokens();
}
