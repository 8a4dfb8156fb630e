package dev.lectern.inference.bert;

import dev.lectern.inference.tensor.Matrix;

import java.util.List;

/**
 * A BERT encoder's weights: the three embedding tables (one row per word, position and token type), the embedding
 * LayerNorm and the layers. {@code source} names the model file in messages.
 */
public record BertModel(String source, BertConfig config, Matrix wordEmbeddings, Matrix positionEmbeddings,
                        Matrix tokenTypeEmbeddings, LayerNorm embeddingNorm, List<BertLayer> layers) {
    public BertModel {
        layers = List.copyOf(layers);
        int h = config.hiddenSize();
        BertLayer.checkMatrix(wordEmbeddings, config.vocabularySize(), h, source + ": word embeddings");
        BertLayer.checkMatrix(positionEmbeddings, config.maxPositions(), h, source + ": position embeddings");
        BertLayer.checkMatrix(tokenTypeEmbeddings, config.typeVocabularySize(), h, source + ": token type embeddings");
        BertLayer.checkVector(embeddingNorm.weight(), h, source + ": embedding LayerNorm");
        if (layers.size() != config.layerCount()) {
            throw new IllegalArgumentException(source + ": " + layers.size() + " layers, the configuration says " + config.layerCount());
        }
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).check(config, source + ": layer " + i);
        }
    }
}
