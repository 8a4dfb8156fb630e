package dev.lectern.pipeline.embedding;

import java.util.List;

import dev.lectern.inference.embed.DefaultModel;
import dev.lectern.inference.embed.SentenceEmbedder;

/** The tasks' view of the engine's sentence embedder (by default the built-in all-MiniLM-L6-v2). */
public final class MiniLmEmbedder implements Embedder {

    private final SentenceEmbedder model;

    public MiniLmEmbedder(SentenceEmbedder model) {
        this.model = model;
    }

    /** The built-in default model, loaded once per JVM and shared by every caller. */
    public static MiniLmEmbedder builtIn() {
        return new MiniLmEmbedder(DefaultModel.load());
    }

    @Override
    public float[][] embed(List<String> texts) {
        return model.embed(texts);
    }

    @Override
    public int countTokens(String text) {
        return model.countTokens(text);
    }

    @Override
    public int maxTokens() {
        return model.maxTokens();
    }
}
