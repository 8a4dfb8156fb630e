package dev.lectern.inference.gguf;

import java.nio.file.Path;

/**
 * A GGUF file is malformed, truncated, or does not hold what the caller asked for (a missing key, a value of the
 * wrong type, a tensor of an unexpected shape). The message always names the file and the key or tensor concerned.
 */
public class GgufFormatException extends RuntimeException {

    public GgufFormatException(Path file, String message) {
        super(file + ": " + message);
    }

    public GgufFormatException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
    }
}
