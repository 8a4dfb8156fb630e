package dev.lectern.inference.model;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.tensor.Parallel;

/**
 * Llama (Touvron et al.; also Llama 3.x, TinyLlama, SmolLM2, Mistral): pre-norm blocks with RMSNorm, grouped-query
 * attention with rotary positions, and a SwiGLU feed-forward.
 * <pre>
 *   h   = x + W_o · Attention(RoPE(W_q · RMSNorm(x)), RoPE(W_k · RMSNorm(x)), W_v · RMSNorm(x))
 *   out = h + W_down · (SiLU(W_gate · RMSNorm(h)) ⊙ W_up · RMSNorm(h))
 * </pre>
 * llama.cpp's converter permutes W_q/W_k rows so that the normal (adjacent-pair) rotation applies. Llama 3.1+
 * files carry per-frequency divisors in {@code rope_freqs.weight}. Projections may carry biases (Qwen2 does).
 */
public class Llama extends DecoderModel {
    protected final Block[] blocks;

    /** The weights of one transformer block. */
    protected record Block(float[] attnNorm, Linear wq, Linear wk, Linear wv, Linear wo,
                           float[] ffnNorm, Linear gate, Linear up, Linear down) {}

    public Llama(GgufFile file, ModelConfig c) {
        this(file, c, false, false);
    }

    protected Llama(GgufFile file, ModelConfig c, boolean neoxRope, boolean qkvBias) {
        super(file, c, ropeOf(file, c, neoxRope));
        Weights w = new Weights(file);
        int d = c.embeddingLength();
        int qDim = c.headCount() * c.keyLength();
        int kDim = c.headCountKv() * c.keyLength();
        int vDim = c.headCountKv() * c.valueLength();
        int oIn = c.headCount() * c.valueLength();
        int ff = c.feedForwardLength();
        blocks = new Block[c.blockCount()];
        for (int l = 0; l < blocks.length; l++) {
            String p = "blk." + l + ".";
            blocks[l] = new Block(
                    w.vector(p + "attn_norm.weight", d),
                    w.linear(p + "attn_q", d, qDim, qkvBias),
                    w.linear(p + "attn_k", d, kDim, qkvBias),
                    w.linear(p + "attn_v", d, vDim, qkvBias),
                    w.linear(p + "attn_output", oIn, d, false),
                    w.vector(p + "ffn_norm.weight", d),
                    w.linear(p + "ffn_gate", d, ff, false),
                    w.linear(p + "ffn_up", d, ff, false),
                    w.linear(p + "ffn_down", ff, d, false));
        }
    }

    static Rope ropeOf(GgufFile file, ModelConfig c, boolean neox) {
        float[] freqFactors = file.hasTensor("rope_freqs.weight")
                ? new Weights(file).vector("rope_freqs.weight", c.ropeDimensionCount() / 2)
                : null;
        return Rope.of(c, neox, freqFactors);
    }

    @Override
    protected void layer(int l, Batch batch, Workspace ws, Parallel parallel) {
        Block b = blocks[l];
        int n = batch.size();

        // Self-attention sub-layer.
        rmsNorm(ws.x, ws.xn, b.attnNorm(), batch);
        if (oneRow(batch)) {
            RowProjections.apply(ws.xn, b.wq(), ws.q, b.wk(), ws.k, b.wv(), ws.v, parallel);
        } else {
            b.wq().apply(ws.xn, n, ws.q, parallel, ws.batchInvariant);
            b.wk().apply(ws.xn, n, ws.k, parallel, ws.batchInvariant);
            b.wv().apply(ws.xn, n, ws.v, parallel, ws.batchInvariant);
        }
        normalizeQueriesAndKeys(l, ws, batch);
        applyRope(ws, batch);
        attention(l, batch, ws, parallel, null);
        b.wo().apply(ws.att, n, ws.out, parallel, ws.batchInvariant);
        addResidual(ws, batch);

        // SwiGLU feed-forward sub-layer.
        rmsNorm(ws.x, ws.xn, b.ffnNorm(), batch);
        if (oneRow(batch)) {
            RowProjections.swiglu(ws.xn, b.gate(), ws.gate, b.up(), ws.up, parallel);
        } else {
            b.gate().apply(ws.xn, n, ws.gate, parallel, ws.batchInvariant);
            b.up().apply(ws.xn, n, ws.up, parallel, ws.batchInvariant);
            // Split by rows between the threads (element-wise, so the bits do not depend on the split): on a prompt,
            // one thread's serial SwiGLU would leave the others idle for several percent of the layer.
            int ff = config.feedForwardLength();
            parallel.forRange(n, 1, (first, end) -> Activations.swiglu(ws.gate, first * ff, ws.up, first * ff, (end - first) * ff));
        }
        b.down().apply(ws.gate, n, ws.out, parallel, ws.batchInvariant);
        addResidual(ws, batch);
    }

    /** Hook between the projections and RoPE; Llama has nothing there (Qwen3 normalizes each head). */
    protected void normalizeQueriesAndKeys(int l, Workspace ws, Batch batch) {
    }
}
