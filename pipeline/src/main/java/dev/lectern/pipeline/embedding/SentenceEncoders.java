package dev.lectern.pipeline.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.lectern.inference.bert.GgufBertLoader;
import dev.lectern.inference.embed.DefaultModel;
import dev.lectern.inference.embed.GgufEmbeddingModel;
import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.tensor.Parallel;
import dev.lectern.pipeline.model.FileDigests;
import dev.lectern.pipeline.model.ModelIdentity;
import dev.lectern.pipeline.model.ModelLoadException;
import dev.lectern.pipeline.model.ModelSpec;
import dev.lectern.pipeline.model.SharedModels;

/**
 * The sentence encoders the summarize and classify tasks run on: the built-in default model (all-MiniLM-L6-v2), or
 * a GGUF file whose architecture is {@code bert}. Each is loaded once per JVM through {@link SharedModels} and named
 * in records by its name and the SHA-256 of its weights.
 */
public final class SentenceEncoders {

    private static final ConcurrentMap<String, Boolean> IS_BERT = new ConcurrentHashMap<>();

    private SentenceEncoders() {
    }

    private static final class BuiltInIdentity {
        static final ModelIdentity IDENTITY = new ModelIdentity(DefaultModel.NAME, weightsSha256());

        private static String weightsSha256() {
            try (InputStream in = SentenceEncoders.class.getClassLoader()
                    .getResourceAsStream(DefaultModel.ONNX_RESOURCE)) {
                if (in == null) {
                    throw new ModelLoadException("the built-in model " + DefaultModel.NAME + " is not on the classpath"
                            + " (resource " + DefaultModel.ONNX_RESOURCE + " from " + DefaultModel.CARRIER_ARTIFACT + ")");
                }
                return FileDigests.sha256(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the built-in model's weights", e);
            }
        }
    }

    /**
     * Whether the tasks can run on this model: the built-in one, or a GGUF file that declares
     * {@code general.architecture = bert}. A file that cannot be read as GGUF is not a sentence encoder.
     */
    public static boolean supports(ModelSpec model) {
        if (model.isBuiltIn()) {
            return true;
        }
        if (!model.extension().equals("gguf")) {
            return false;
        }
        return IS_BERT.computeIfAbsent(model.path(), path -> {
            try {
                return GgufBertLoader.ARCHITECTURE.equals(
                        GgufFile.open(Path.of(path)).metadata().getString("general.architecture", null));
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    /** The model's name (the built-in model's, or the file name) and the SHA-256 of its weights. */
    public static ModelIdentity identity(ModelSpec model) {
        if (model.isBuiltIn()) {
            return BuiltInIdentity.IDENTITY;
        }
        try {
            return new ModelIdentity(model.file().getFileName().toString(), FileDigests.cachedSha256(model.file()));
        } catch (IOException e) {
            throw new ModelLoadException("model file " + model.path() + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The JVM's one copy of the model, shared by every worker. */
    public static Embedder embedder(ModelSpec model) {
        String key = SharedModels.keyFor(model, identity(model).sha256());
        if (model.isBuiltIn()) {
            return SharedModels.get(key, EngineEmbedder.class, EngineEmbedder::builtIn);
        }
        return SharedModels.get(key, EngineEmbedder.class, () -> new EngineEmbedder(
                GgufEmbeddingModel.open(model.file(), new Parallel(Runtime.getRuntime().availableProcessors()))));
    }
}
