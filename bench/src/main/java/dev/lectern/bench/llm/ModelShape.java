package dev.lectern.bench.llm;

import dev.lectern.inference.tensor.GgmlType;

import java.util.Locale;

/**
 * The hyperparameters of a decoder-only model whose speed we measure with random weights: the shape (not the
 * values) is all that matters for speed. Every 2-D weight is stored in {@code type}; norms and biases in F32.
 *
 * @param name       short name used in tables and file names
 * @param arch       GGUF {@code general.architecture} ({@code llama} or {@code qwen2})
 * @param embd       model width
 * @param layers     transformer blocks
 * @param heads      query heads
 * @param kvHeads    key/value heads
 * @param headDim    per-head size
 * @param ff         feed-forward hidden size
 * @param vocab      vocabulary size (rows of the tied embedding / output matrix)
 * @param qkvBias    whether Q, K and V projections carry biases (Qwen2)
 * @param ropeBase   RoPE θ
 * @param rmsEps     RMSNorm ε
 * @param ropeFreqs  whether the file carries {@code rope_freqs.weight} (Llama 3.x)
 */
public record ModelShape(String name, String arch, GgmlType type, int embd, int layers, int heads, int kvHeads,
                         int headDim, int ff, int vocab, boolean qkvBias, float ropeBase, float rmsEps,
                         boolean ropeFreqs) {

    /** Llama-3.2-1B: 1.24 B parameters, tied embeddings. */
    public static ModelShape llama32_1b(GgmlType type) {
        return new ModelShape("Llama-3.2-1B", "llama", type, 2048, 16, 32, 8, 64, 8192, 128256, false, 500000f, 1e-5f, true);
    }

    /** Qwen2.5-0.5B: 0.49 B parameters, tied embeddings, QKV biases. */
    public static ModelShape qwen25_05b(GgmlType type) {
        return new ModelShape("Qwen2.5-0.5B", "qwen2", type, 896, 24, 14, 2, 64, 4864, 151936, true, 1000000f, 1e-6f, false);
    }

    /** The same block shapes with 2 layers and a 32768-token vocabulary, for checking the harness quickly. */
    public ModelShape quick() {
        return new ModelShape(name + " (quick: 2 layers, 32k vocab)", arch, type, embd, 2, heads, kvHeads, headDim, ff,
                32768, qkvBias, ropeBase, rmsEps, ropeFreqs);
    }

    /**
     * The same shape with 2 layers but the full vocabulary, for checking quickly a harness that needs the real
     * tokenizer in the file (llama.cpp refuses a vocabulary of another size than the embedding's).
     */
    public ModelShape quickFullVocabulary() {
        return new ModelShape(name + " (quick: 2 layers)", arch, type, embd, 2, heads, kvHeads, headDim, ff,
                vocab, qkvBias, ropeBase, rmsEps, ropeFreqs);
    }

    public boolean isQuick() {
        return name.contains("quick");
    }

    /** A file name that changes whenever anything that shapes the file changes. */
    public String fileName() {
        return String.format(Locale.ROOT, "%s-%s-%s-e%d-l%d-h%d-kv%d-hd%d-ff%d-v%d%s%s-g%d.gguf",
                arch, name.replaceAll("[^A-Za-z0-9.]+", "_"), type, embd, layers, heads, kvHeads, headDim, ff, vocab,
                qkvBias ? "-bias" : "", ropeFreqs ? "-rf" : "", SyntheticGguf.GENERATOR_VERSION);
    }

    public String label() {
        return name + " " + type;
    }
}
