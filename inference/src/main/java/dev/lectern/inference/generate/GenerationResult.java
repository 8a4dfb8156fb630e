package dev.lectern.inference.generate;

/**
 * What a generation produced, and how fast.
 *
 * @param promptIds      the prompt as run through the model
 * @param generatedIds   generated ids, without the stop token
 * @param text           the generated text (control tokens left out)
 * @param reply          the answer meant for the user: in a chat, without the model's reasoning (harmony's
 *                       {@code final} channel, or what follows a leading {@code <think>} block; empty when the
 *                       model never got to its answer); otherwise the same as {@code text}
 * @param stopReason     why it ended
 * @param promptNanos    time of the batched prefill
 * @param generateNanos  time of the token-by-token phase (decode passes and sampling)
 * @param decodeSteps    forward passes in the token-by-token phase
 */
public record GenerationResult(int[] promptIds, int[] generatedIds, String text, String reply, StopReason stopReason,
                               long promptNanos, long generateNanos, int decodeSteps) {

    /** This result with another {@link #reply}. */
    public GenerationResult withReply(String newReply) {
        return new GenerationResult(promptIds, generatedIds, text, newReply, stopReason, promptNanos, generateNanos, decodeSteps);
    }

    public double promptTokensPerSecond() {
        return promptNanos == 0 ? 0 : promptIds.length * 1e9 / promptNanos;
    }

    public double generationTokensPerSecond() {
        return generateNanos == 0 ? 0 : decodeSteps * 1e9 / generateNanos;
    }
}
