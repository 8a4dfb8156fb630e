package dev.lectern.bench.llm;

/**
 * llama.cpp's figures on these machines for the same shapes (medians of six alternating rounds, from
 * {@code shared/research/inference-peers.md}: upstream 82bb485, CPU build with native flags,
 * {@code llama-bench -t 1,2 -p 16,64,256 -n 32}). Quoted as a reference: they were not measured in the same run.
 */
public record LlamaCppReference(double prefill64, double prefill256, double decode) {

    /** The figures for a shape at a thread count, or null when none were taken. */
    public static LlamaCppReference of(ModelShape shape, int threads) {
        if (shape.isQuick()) return null;
        String key = shape.name() + " " + shape.type() + " " + threads;
        return switch (key) {
            case "Llama-3.2-1B Q8_0 1" -> new LlamaCppReference(27.0, 28.0, 5.3);
            case "Llama-3.2-1B Q8_0 2" -> new LlamaCppReference(52.1, 46.1, 8.8);
            case "Llama-3.2-1B Q4_0 1" -> new LlamaCppReference(34.0, 34.8, 10.1);
            case "Llama-3.2-1B Q4_0 2" -> new LlamaCppReference(57.3, 54.1, 18.8);
            case "Qwen2.5-0.5B Q8_0 1" -> new LlamaCppReference(70.7, Double.NaN, 15.1);
            case "Qwen2.5-0.5B Q8_0 2" -> new LlamaCppReference(114.6, Double.NaN, 24.3);
            default -> null;
        };
    }

}
