package dev.lectern.pipeline.config;

/** A job file that cannot run. The message is one line for a human: file, line, field, what was expected. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
