package dev.lectern.pipeline.task;

/**
 * The work done on each document: {@code extract}, {@code summarize}, {@code classify}, ... One instance per
 * worker (a DoFn instance makes one in {@code @Setup}); it is called by one thread at a time. A model must not be
 * held per instance: get it from {@link dev.lectern.pipeline.model.SharedModels} so that every worker shares one.
 */
public interface DocumentTask extends AutoCloseable {

    /**
     * Runs the task on one document.
     *
     * @return the record's {@code result}: a value Jackson writes deterministically (a record, a
     *         {@link java.util.LinkedHashMap}, a {@code JsonNode}). It must depend only on the input, the options
     *         and the model: never on time, thread or batch.
     * @throws TaskFailure when this document cannot be processed; it becomes an error record and the run goes on
     */
    Object run(TaskInput input) throws TaskFailure;

    @Override
    default void close() {
    }
}
