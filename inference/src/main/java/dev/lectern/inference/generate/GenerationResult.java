package dev.lectern.inference.generate;

/**
 * What a generation produced, and how fast.
 *
 * @param promptIds      the prompt as run through the model
 * @param generatedIds   generated ids, without the stop token
 * @param text           the generated text (control tokens left out)
 * @param stopReason     why it ended
 * @param promptNanos    time of the batched prefill
 * @param generateNanos  time of the token-by-token phase (decode passes and sampling)
 * @param decodeSteps    forward passes in the token-by-token phase
 */
public record GenerationResult(int[] promptIds, int[] generatedIds, String text, StopReason stopReason,
                               long promptNanos, long generateNanos, int decodeSteps) {

    public double promptTokensPerSecond() {
        return promptNanos == 0 ? 0 : promptIds.length * 1e9 / promptNanos;
    }

    public double generationTokensPerSecond() {
        return generateNanos == 0 ? 0 : decodeSteps * 1e9 / generateNanos;
    }
}
