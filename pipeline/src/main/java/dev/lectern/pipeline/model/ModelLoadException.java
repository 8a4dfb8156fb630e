package dev.lectern.pipeline.model;

/** A model that cannot be loaded; stops the job before any document is processed. */
public final class ModelLoadException extends RuntimeException {

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
