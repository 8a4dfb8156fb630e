package dev.lectern.inference.embed;

import dev.lectern.inference.bert.BertEncoder;
import dev.lectern.inference.bert.BertModel;
import dev.lectern.inference.bert.GgufBertLoader;
import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.tensor.Parallel;
import dev.lectern.inference.tokenizer.GgufVocabulary;
import dev.lectern.inference.tokenizer.WordPieceTokenizer;
import dev.lectern.inference.tokenizer.WordPieceTokenizerLoader;

import java.nio.file.Path;

/** A sentence embedder for a GGUF {@code bert} model file (weights mapped, not copied; WordPiece vocabulary inside). */
public final class GgufEmbeddingModel {
    private GgufEmbeddingModel() {
    }

    /**
     * Opens the file (mapped once per JVM) and builds its embedder: the file's vocabulary, truncation at its context
     * length, and the pooling it declares.
     */
    public static SentenceEmbedder open(Path path, Parallel parallel) {
        GgufFile file = GgufFile.open(path);
        BertModel model = GgufBertLoader.load(file);
        WordPieceTokenizer tokenizer = WordPieceTokenizerLoader.fromVocabulary(GgufVocabulary.read(file),
                model.config().maxPositions());
        Pooling pooling = Pooling.ofGgufType(GgufBertLoader.poolingType(file), path.toString());
        return new SentenceEmbedder(new BertEncoder(model), tokenizer, pooling, parallel);
    }
}
