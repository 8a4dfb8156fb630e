package dev.lectern.inference.model;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.gguf.GgufFormatException;

import java.util.List;

/** Builds the forward pass for a GGUF file's {@code general.architecture}. */
public final class Models {
    /** Architectures this engine runs. */
    public static final List<String> SUPPORTED = List.of("llama", "qwen2", "qwen3", "gpt-oss");

    private Models() {}

    /**
     * @throws GgufFormatException if the architecture is not supported or a tensor or key is missing or malformed
     */
    public static DecoderModel load(GgufFile file) {
        ModelConfig c = ModelConfig.read(file.path(), file.metadata());
        return switch (c.architecture()) {
            case "llama" -> new Llama(file, c);
            case "qwen2" -> new Qwen2(file, c);
            case "qwen3" -> new Qwen3(file, c);
            case "gpt-oss" -> new GptOss(file, c);
            default -> throw new GgufFormatException(file.path(), "'general.architecture' is '" + c.architecture()
                    + "', which Lectern cannot run (supported: " + String.join(", ", SUPPORTED) + ")");
        };
    }
}
