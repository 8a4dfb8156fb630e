package dev.lectern.pipeline.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import dev.lectern.inference.embed.DefaultModel;
import dev.lectern.pipeline.model.FileDigests;
import dev.lectern.pipeline.model.ModelIdentity;
import dev.lectern.pipeline.model.ModelLoadException;
import dev.lectern.pipeline.model.ModelSpec;
import dev.lectern.pipeline.model.SharedModels;

/**
 * The built-in default model (all-MiniLM-L6-v2) as the summarize and classify tasks use it: loaded once per JVM
 * through {@link SharedModels} and named in records by its name and the SHA-256 of its ONNX weights.
 */
public final class BuiltInModel {

    private BuiltInModel() {
    }

    private static final class IdentityHolder {
        static final ModelIdentity IDENTITY = new ModelIdentity(DefaultModel.NAME, weightsSha256());

        private static String weightsSha256() {
            try (InputStream in = BuiltInModel.class.getClassLoader().getResourceAsStream(DefaultModel.ONNX_RESOURCE)) {
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

    /** Name and weights hash, hashed once per JVM. */
    public static ModelIdentity identity() {
        return IdentityHolder.IDENTITY;
    }

    /** The JVM's one copy of the model, shared by every worker. */
    public static Embedder embedder() {
        return SharedModels.get(SharedModels.keyFor(ModelSpec.builtIn(), identity().sha256()), MiniLmEmbedder.class,
                MiniLmEmbedder::builtIn);
    }
}
