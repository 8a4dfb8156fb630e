package dev.lectern.pipeline.task;

/**
 * One document's task failed; becomes the record's {@code error}.
 *
 * @see dev.lectern.pipeline.output.RecordError
 */
public final class TaskFailure extends Exception {

    private final String stage;
    private final String type;

    /**
     * @param stage   where it failed: the task name, or {@code infer} for the model itself
     * @param type    a stable kind ({@code too-long}, {@code internal}, ...)
     * @param message a sentence for a human, naming what failed
     */
    public TaskFailure(String stage, String type, String message) {
        super(message);
        this.stage = stage;
        this.type = type;
    }

    public TaskFailure(String stage, String type, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
        this.type = type;
    }

    public String stage() {
        return stage;
    }

    public String type() {
        return type;
    }
}
