package dev.lectern.pipeline.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.io.Serializable;

/**
 * The {@code model} section.
 *
 * @param path       a model file (GGUF, or ONNX for sentence encoders); absent: the built-in default model
 *                   (all-MiniLM-L6-v2, shipped inside the build)
 * @param chatFormat GGUF language models: the chat format prompts are written in ({@code llama3}, {@code chatml},
 *                   {@code qwen3}, {@code llama2}, {@code mistral}, {@code phi3}, {@code harmony}, {@code plain});
 *                   absent: read from the file's chat template (plain completion when it has none or an unknown one)
 */
public record ModelConfig(@JsonProperty("path") String path,
                          @JsonProperty("chatFormat") String chatFormat) implements Serializable {

    public static ModelConfig builtIn() {
        return new ModelConfig(null, null);
    }

    public boolean isBuiltIn() {
        return path == null;
    }
}
