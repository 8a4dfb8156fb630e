package dev.lectern.pipeline.embedding;

import java.util.List;

import dev.lectern.inference.embed.DefaultModel;
import dev.lectern.inference.embed.SentenceEmbedder;

/** The tasks' view of one of the engine's sentence embedders (the built-in all-MiniLM-L6-v2, or a GGUF bert). */
public final class EngineEmbedder implements Embedder {

    private final SentenceEmbedder model;

    public EngineEmbedder(SentenceEmbedder model) {
        this.model = model;
    }

    /** The built-in default model, loaded once per JVM and shared by every caller. */
    public static EngineEmbedder builtIn() {
        return new EngineEmbedder(DefaultModel.load());
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
