package dev.lectern.pipeline.summarize;

import java.util.List;

/**
 * An extractive summary.
 *
 * @param text          the chosen sentences in document order, joined by spaces
 * @param sentences     the chosen sentences in document order
 * @param sentenceCount how many sentences the document has
 * @param tokens        model tokens in the chosen sentences
 */
public record Summary(String text, List<SummarySentence> sentences, int sentenceCount, int tokens) {

    public Summary {
        sentences = List.copyOf(sentences);
    }
}
