package dev.lectern.inference.generate;

/** Why a generation ended. */
public enum StopReason {
    /** The model produced an end-of-generation (or requested stop) token. */
    END_OF_GENERATION,
    /** The maximum number of new tokens was reached. */
    MAX_TOKENS,
    /** The sequence filled its context window. */
    CONTEXT_FULL
}
