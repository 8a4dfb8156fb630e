package dev.lectern.pipeline.summarize;

/**
 * How {@link ExtractiveSummarizer} works; built from the job config's {@code task} section.
 *
 * @param maxSentences   the summary has at most this many sentences
 * @param maxTokens      and at most this many model tokens in all (0: no token budget)
 * @param diversity      weight of MMR's redundancy penalty in [0, 1] (MMR's λ is 1 − diversity): 0 ranks by
 *                       relevance alone, higher values favour sentences that add something new
 * @param positionWeight bonus of the first sentence over the last (linear in between), in [0, 1]; favours the lead
 * @param maxCandidates  documents with more sentences than this are judged on this many, spread evenly over the text
 */
public record SummarizerSettings(int maxSentences, int maxTokens, double diversity, double positionWeight,
                                 int maxCandidates) {

    /** About 25 pages of text: bounds the cost of one huge document while covering all of it. */
    public static final int DEFAULT_MAX_CANDIDATES = 2000;

    public SummarizerSettings {
        if (maxSentences < 1) {
            throw new IllegalArgumentException("maxSentences must be at least 1, got " + maxSentences);
        }
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens must be 0 (no budget) or positive, got " + maxTokens);
        }
        if (!(diversity >= 0 && diversity <= 1)) {
            throw new IllegalArgumentException("diversity must be between 0 and 1, got " + diversity);
        }
        if (!(positionWeight >= 0 && positionWeight <= 1)) {
            throw new IllegalArgumentException("positionWeight must be between 0 and 1, got " + positionWeight);
        }
        if (maxCandidates < 1) {
            throw new IllegalArgumentException("maxCandidates must be at least 1, got " + maxCandidates);
        }
    }

    public static SummarizerSettings of(int maxSentences, int maxTokens) {
        return new SummarizerSettings(maxSentences, maxTokens, 0.3, 0.1, DEFAULT_MAX_CANDIDATES);
    }
}
