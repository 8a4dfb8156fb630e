package dev.lectern.pipeline.summarize;

/**
 * A sentence chosen for a summary.
 *
 * @param index  its position among all sentences of the document (0-based)
 * @param text   the sentence, whitespace collapsed
 * @param score  its relevance: centrality plus position prior
 */
public record SummarySentence(int index, String text, double score) {
}
