package dev.lectern.pipeline.model;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * Which model a job asked for: a file, or the built-in default (all-MiniLM-L6-v2, shipped in the build).
 *
 * @param path       absolute path of the model file, or null for the built-in default
 * @param chatFormat a language model's chat format by name, or null to read it from the file
 */
public record ModelSpec(String path, String chatFormat) implements Serializable {

    public ModelSpec(String path) {
        this(path, null);
    }

    public static ModelSpec builtIn() {
        return new ModelSpec(null);
    }

    public static ModelSpec of(Path file) {
        return of(file, null);
    }

    public static ModelSpec of(Path file, String chatFormat) {
        return file == null ? builtIn() : new ModelSpec(file.toAbsolutePath().normalize().toString(), chatFormat);
    }

    public boolean isBuiltIn() {
        return path == null;
    }

    public Path file() {
        return path == null ? null : Path.of(path);
    }

    /** The lower-cased file name extension ({@code gguf}, {@code onnx}), or empty for the built-in model. */
    public String extension() {
        if (path == null) {
            return "";
        }
        String name = Path.of(path).getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
    }
}
