package dev.lectern.pipeline.task;

import dev.lectern.pipeline.model.ModelIdentity;
import dev.lectern.pipeline.model.ModelSpec;

/**
 * Makes one kind of task. Register an implementation in {@link TaskRegistry}; its options record goes into
 * {@link dev.lectern.pipeline.config.TaskOptions}'s list.
 */
public interface TaskFactory {

    /** The {@code task.type} this factory makes ({@code extract}, {@code summarize}, ...). */
    String type();

    /**
     * Whether this implementation runs with {@code model}: lets two implementations share a type, e.g. an
     * extractive summarizer for the built-in sentence encoder and a generative one for GGUF language models.
     */
    default boolean supports(ModelSpec model) {
        return true;
    }

    /**
     * Runs once, before any document, in the process that launches the job. Load (through
     * {@link dev.lectern.pipeline.model.SharedModels}) and check the model and any files the options name here, so
     * that a bad model stops the job with a clear message before anything is processed.
     *
     * @return the model the records will name, or null for a task that uses none
     * @throws dev.lectern.pipeline.config.ConfigException or {@link dev.lectern.pipeline.model.ModelLoadException}
     *         with a one-line message naming the file
     */
    ModelIdentity prepare(TaskContext context);

    /** A task for one worker. Called in every worker's {@code @Setup}; must be cheap apart from the shared model. */
    DocumentTask create(TaskContext context);
}
