package dev.lectern.inference.model;

import dev.lectern.inference.gguf.GgufFile;

/**
 * Qwen2 / Qwen2.5 (Qwen Team): the Llama block with biases on the query, key and value projections, NeoX-style
 * rotary pairs {@code (x[i], x[i + d/2])}, and usually tied input/output embeddings.
 */
public final class Qwen2 extends Llama {
    public Qwen2(GgufFile file, ModelConfig c) {
        super(file, c, true, true);
    }
}
