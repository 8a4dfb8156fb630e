package dev.lectern.inference.model;

import dev.lectern.inference.gguf.GgufFile;

/**
 * Qwen3 (Qwen Team): the Llama block without QKV biases, with an RMSNorm over each query and key head before the
 * rotation (QK-norm), NeoX-style rotary pairs, and a head size that need not be {@code n_embd / n_head}.
 * <pre>
 *   q_h = RoPE(RMSNorm(W_q · RMSNorm(x))_h ⊙ g_q),   k_h = RoPE(RMSNorm(W_k · RMSNorm(x))_h ⊙ g_k)
 * </pre>
 */
public final class Qwen3 extends Llama {
    private final float[][] qNorm;
    private final float[][] kNorm;

    public Qwen3(GgufFile file, ModelConfig c) {
        super(file, c, true, false);
        Weights w = new Weights(file);
        qNorm = new float[c.blockCount()][];
        kNorm = new float[c.blockCount()][];
        for (int l = 0; l < c.blockCount(); l++) {
            qNorm[l] = w.vector("blk." + l + ".attn_q_norm.weight", c.keyLength());
            kNorm[l] = w.vector("blk." + l + ".attn_k_norm.weight", c.keyLength());
        }
    }

    @Override
    protected void normalizeQueriesAndKeys(int l, Workspace ws, Batch batch) {
        rmsNormHeads(ws.q, config.headCount(), config.keyLength(), qNorm[l], batch);
        rmsNormHeads(ws.k, config.headCountKv(), config.keyLength(), kNorm[l], batch);
    }
}
