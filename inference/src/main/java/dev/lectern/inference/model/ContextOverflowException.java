package dev.lectern.inference.model;

/** Tokens do not fit in the sequence's context window. */
public final class ContextOverflowException extends RuntimeException {
    public ContextOverflowException(int held, int requested, int maxContext) {
        super("context overflow: " + held + " tokens held + " + requested + " new > context length " + maxContext
                + " (shorten the prompt or raise --context up to the model's context_length)");
    }
}
