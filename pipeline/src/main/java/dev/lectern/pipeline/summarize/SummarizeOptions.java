package dev.lectern.pipeline.summarize;

/**
 * How extractive summaries are made; the {@code task.summarize} section of a job config.
 *
 * @param maxSentences   the summary has at most this many sentences
 * @param maxTokens      and at most this many model tokens in all (0: no token budget)
 * @param lambda         MMR trade-off in [0, 1]: 1 ranks by relevance alone, lower values penalize sentences that
 *                       repeat what is already selected
 * @param positionWeight bonus of the first sentence over the last (linear in between), in [0, 1]; favours the lead
 * @param maxCandidates  documents with more sentences than this are judged on this many, spread evenly over the text
 */
public record SummarizeOptions(int maxSentences, int maxTokens, double lambda, double positionWeight, int maxCandidates) {

    public static final int DEFAULT_MAX_SENTENCES = 5;
    public static final int DEFAULT_MAX_TOKENS = 0;
    public static final double DEFAULT_LAMBDA = 0.7;
    public static final double DEFAULT_POSITION_WEIGHT = 0.1;
    public static final int DEFAULT_MAX_CANDIDATES = 2000;

    public SummarizeOptions {
        if (maxSentences < 1) {
            throw new IllegalArgumentException("maxSentences must be at least 1, got " + maxSentences);
        }
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens must be 0 (no budget) or positive, got " + maxTokens);
        }
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda must be between 0 and 1, got " + lambda);
        }
        if (!(positionWeight >= 0 && positionWeight <= 1)) {
            throw new IllegalArgumentException("positionWeight must be between 0 and 1, got " + positionWeight);
        }
        if (maxCandidates < 1) {
            throw new IllegalArgumentException("maxCandidates must be at least 1, got " + maxCandidates);
        }
    }

    public static SummarizeOptions defaults() {
        return new SummarizeOptions(DEFAULT_MAX_SENTENCES, DEFAULT_MAX_TOKENS, DEFAULT_LAMBDA, DEFAULT_POSITION_WEIGHT,
                DEFAULT_MAX_CANDIDATES);
    }
}
