package dev.lectern.inference.generate;

import dev.lectern.inference.sampling.Sampler;
import dev.lectern.inference.tokenizer.StreamingDecoder;
import dev.lectern.inference.tokenizer.Tokenizer;

import java.util.Arrays;

/**
 * The autoregressive loop: prefill the prompt in one batch, then sample, stream and feed back one token at a
 * time until an end-of-generation token, the token budget or the context runs out.
 */
public final class Generator {
    private Generator() {}

    /**
     * Generates a continuation of {@code promptIds} in {@code session} (which must be empty or hold the context the
     * prompt continues). A listener may throw to abandon the generation (e.g. on a deadline); the exception
     * propagates and the session should then be {@linkplain Session#reset() reset}.
     */
    public static GenerationResult generate(Session session, Tokenizer tokenizer, int[] promptIds,
                                            GenerationOptions options, TokenListener listener) {
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("empty prompt: it encodes to no tokens and the model adds no BOS");
        }
        Sampler sampler = new Sampler(options.sampling(), session.vocabSize());
        for (int id : promptIds) sampler.accept(id);
        StreamingDecoder decoder = new StreamingDecoder(tokenizer, true);
        StringBuilder text = new StringBuilder();
        int[] generated = new int[Math.min(options.maxTokens(), 1024)];
        int count = 0;
        StopReason reason = StopReason.MAX_TOKENS;

        long t0 = System.nanoTime();
        float[] logits = session.prefill(promptIds);
        long t1 = System.nanoTime();
        int steps = 0;
        while (true) {
            int id = sampler.sample(logits);
            if (tokenizer.isEndOfGeneration(id) || options.stopTokens().contains(id)) {
                reason = StopReason.END_OF_GENERATION;
                break;
            }
            if (count == generated.length) generated = Arrays.copyOf(generated, generated.length * 2);
            generated[count++] = id;
            sampler.accept(id);
            String piece = decoder.append(id);
            text.append(piece);
            listener.onToken(id, piece);
            if (count == options.maxTokens()) break;
            if (session.position() == session.contextLength()) {
                reason = StopReason.CONTEXT_FULL;
                break;
            }
            logits = session.decode(id);
            steps++;
        }
        String tail = decoder.finish();
        if (!tail.isEmpty()) {
            text.append(tail);
            listener.onToken(-1, tail);
        }
        long t2 = System.nanoTime();
        return new GenerationResult(promptIds.clone(), Arrays.copyOf(generated, count), text.toString(), text.toString(), reason,
                t1 - t0, t2 - t1, steps);
    }
}
