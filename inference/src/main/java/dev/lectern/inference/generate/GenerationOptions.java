package dev.lectern.inference.generate;

import dev.lectern.inference.sampling.SamplingParameters;

import java.util.Objects;
import java.util.Set;

/**
 * How a generation runs.
 *
 * @param maxTokens   upper bound on generated tokens
 * @param sampling    sampler settings (greedy, temperature, top-k/p, min-p, penalty, seed)
 * @param stopTokens  ids that end the generation besides the tokenizer's end-of-generation tokens (e.g. a chat
 *                    format's end-of-turn markers); they are not part of the output
 */
public record GenerationOptions(int maxTokens, SamplingParameters sampling, Set<Integer> stopTokens) {
    public GenerationOptions {
        if (maxTokens < 1) throw new IllegalArgumentException("max tokens: expected at least 1, got " + maxTokens);
        Objects.requireNonNull(sampling, "sampling");
        stopTokens = Set.copyOf(stopTokens);
    }

    public GenerationOptions(int maxTokens, SamplingParameters sampling) {
        this(maxTokens, sampling, Set.of());
    }

    public static GenerationOptions greedy(int maxTokens) {
        return new GenerationOptions(maxTokens, SamplingParameters.greedy());
    }
}
