package dev.lectern.inference.onnx;

/** An ONNX file that cannot be read, or whose graph is not what the caller expected. The message names the source. */
public final class OnnxFormatException extends RuntimeException {
    public OnnxFormatException(String message) {
        super(message);
    }

    public OnnxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
