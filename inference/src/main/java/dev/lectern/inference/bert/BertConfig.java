package dev.lectern.inference.bert;

/**
 * The shape of a BERT encoder.
 *
 * @param vocabularySize  rows of the word-embedding table
 * @param hiddenSize      width of every token's hidden state
 * @param layerCount      number of transformer layers
 * @param headCount       attention heads per layer; {@code hiddenSize / headCount} is the head width
 * @param intermediateSize width of the feed-forward layer
 * @param maxPositions    rows of the position-embedding table: the longest sequence
 * @param typeVocabularySize rows of the token-type table
 * @param layerNormEps    the epsilon of every LayerNorm
 */
public record BertConfig(int vocabularySize, int hiddenSize, int layerCount, int headCount, int intermediateSize,
                         int maxPositions, int typeVocabularySize, float layerNormEps) {
    public BertConfig {
        if (vocabularySize < 1 || hiddenSize < 1 || layerCount < 1 || headCount < 1 || intermediateSize < 1
                || maxPositions < 2 || typeVocabularySize < 1 || !(layerNormEps > 0)) {
            throw new IllegalArgumentException("not a valid BERT shape: vocabulary " + vocabularySize + ", hidden " + hiddenSize
                    + ", layers " + layerCount + ", heads " + headCount + ", intermediate " + intermediateSize
                    + ", positions " + maxPositions + ", token types " + typeVocabularySize + ", eps " + layerNormEps);
        }
        if (hiddenSize % headCount != 0) {
            throw new IllegalArgumentException("hidden size " + hiddenSize + " is not a multiple of the head count " + headCount);
        }
    }

    public int headSize() {
        return hiddenSize / headCount;
    }
}
