package dev.lectern.inference.model;

/** Tokens do not fit in the sequence's context window. */
public final class ContextOverflowException extends RuntimeException {
    private final int maxContext;

    public ContextOverflowException(int held, int requested, int maxContext) {
        super("context overflow: " + held + " tokens held + " + requested + " new > context length " + maxContext);
        this.maxContext = maxContext;
    }

    /** The context length that was exceeded. */
    public int maxContext() {
        return maxContext;
    }
}
