package dev.lectern.pipeline.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.io.Serializable;

/**
 * The {@code model} section.
 *
 * @param path a model file (GGUF, or ONNX for sentence encoders); absent: the built-in default model
 *             (all-MiniLM-L6-v2, shipped inside the build)
 */
public record ModelConfig(@JsonProperty("path") String path) implements Serializable {

    public static ModelConfig builtIn() {
        return new ModelConfig(null);
    }

    public boolean isBuiltIn() {
        return path == null;
    }
}
