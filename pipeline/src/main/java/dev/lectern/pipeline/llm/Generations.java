package dev.lectern.pipeline.llm;

import dev.lectern.inference.generate.GenerationOptions;
import dev.lectern.inference.generate.StopReason;
import dev.lectern.inference.model.ContextOverflowException;
import dev.lectern.inference.sampling.SamplingParameters;
import dev.lectern.pipeline.task.TaskFailure;

import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;

/** What the generating tasks share: per-call seeds, sampling settings, and turning engine failures into records. */
final class Generations {

    /** The record's stage for anything that fails inside the model. */
    static final String STAGE = "infer";

    private Generations() {
    }

    /**
     * The seed of one generation call of a document: the document's seed (from the job seed and the document's
     * hash) mixed with the call's place in the map-reduce tree, so no call depends on order, thread or batch.
     */
    static long callSeed(long documentSeed, int level, int index) {
        long z = documentSeed + 0x9E3779B97F4A7C15L * (1 + level) + 0xBF58476D1CE4E5B9L * (1 + index);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Greedy at temperature 0; above it llama.cpp's usual filters (top-k 40, min-p 0.05) with the job's top-p. */
    static GenerationOptions options(int maxTokens, double temperature, double topP, long seed) {
        SamplingParameters sampling = temperature <= 0 ? SamplingParameters.greedy()
                : SamplingParameters.defaults(seed).withTemperature((float) temperature).withTopP((float) topP);
        return new GenerationOptions(maxTokens, sampling);
    }

    /** {@code end-of-generation}, {@code max-tokens}, {@code context-full}. */
    static String stopReasonName(StopReason reason) {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** An engine failure as the document's error record. */
    static TaskFailure failure(Throwable e, String what) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ContextOverflowException) {
            return new TaskFailure(STAGE, "context-overflow", what + ": " + cause.getMessage(), cause);
        }
        if (cause instanceof CancellationException) {
            return new TaskFailure(STAGE, "cancelled", what + ": the inference queue was shut down", cause);
        }
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new TaskFailure(STAGE, "interrupted", what + ": interrupted", cause);
        }
        return new TaskFailure(STAGE, "inference", what + ": " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
    }
}
