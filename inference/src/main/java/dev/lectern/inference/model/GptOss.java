package dev.lectern.inference.model;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.gguf.GgufFormatException;
import dev.lectern.inference.tensor.Parallel;

/**
 * gpt-oss (OpenAI, 2025): pre-norm blocks whose attention has biases, a learned sink logit per head and, on even
 * layers, a sliding window; and whose feed-forward is a mixture of experts.
 * <pre>
 *   h   = x + W_o · Attention_sinks(RoPE_YaRN(W_q·n + b_q), RoPE_YaRN(W_k·n + b_k), W_v·n + b_v) + b_o,  n = RMSNorm(x)
 *   out = h + MoE(RMSNorm(h))
 * </pre>
 * where {@link MixtureOfExperts} routes each row to its top-4 experts, gated units
 * {@code SwiGLU_clamped(g, u) = min(g,7)·σ(1.702·min(g,7)) · (clamp(u,±7) + 1)}.
 */
public final class GptOss extends DecoderModel {
    /** SwiGLU slope α and clamp of the gpt-oss experts. */
    static final float SWIGLU_ALPHA = 1.702f;
    static final float SWIGLU_LIMIT = 7.0f;

    private final Block[] blocks;

    private record Block(float[] attnNorm, Linear wq, Linear wk, Linear wv, Linear wo, float[] sinks,
                         float[] postAttnNorm, MixtureOfExperts feedForward) {}

    public GptOss(GgufFile file, ModelConfig c) {
        super(file, c, Rope.of(c, true, null));
        if (c.expertCount() < 1 || c.expertUsedCount() < 1 || c.expertUsedCount() > c.expertCount()) {
            throw new GgufFormatException(file.path(), "'gpt-oss.expert_count' (" + c.expertCount()
                    + ") and 'gpt-oss.expert_used_count' (" + c.expertUsedCount() + ") must satisfy 1 <= used <= count");
        }
        if (c.slidingWindow() < 1) {
            throw new GgufFormatException(file.path(), "'gpt-oss.attention.sliding_window' is missing or not positive");
        }
        Weights w = new Weights(file);
        int d = c.embeddingLength();
        int nE = c.expertCount();
        int ff = c.expertFeedForwardLength();
        blocks = new Block[c.blockCount()];
        for (int l = 0; l < blocks.length; l++) {
            String p = "blk." + l + ".";
            float[][] gateBias = w.expertBiases(p + "ffn_gate_exps.bias", ff, nE);
            float[][] upBias = w.expertBiases(p + "ffn_up_exps.bias", ff, nE);
            float[][] downBias = w.expertBiases(p + "ffn_down_exps.bias", d, nE);
            MixtureOfExperts.Expert[] experts = new MixtureOfExperts.Expert[nE];
            for (int e = 0; e < nE; e++) {
                experts[e] = new MixtureOfExperts.Expert(
                        new Linear(w.expert(p + "ffn_gate_exps.weight", d, ff, nE, e), gateBias[e]),
                        new Linear(w.expert(p + "ffn_up_exps.weight", d, ff, nE, e), upBias[e]),
                        new Linear(w.expert(p + "ffn_down_exps.weight", ff, d, nE, e), downBias[e]));
            }
            blocks[l] = new Block(
                    w.vector(p + "attn_norm.weight", d),
                    w.linear(p + "attn_q", d, c.headCount() * c.keyLength(), true),
                    w.linear(p + "attn_k", d, c.headCountKv() * c.keyLength(), true),
                    w.linear(p + "attn_v", d, c.headCountKv() * c.valueLength(), true),
                    w.linear(p + "attn_output", c.headCount() * c.valueLength(), d, true),
                    w.vector(p + "attn_sinks.weight", c.headCount()),
                    w.vector(p + "post_attention_norm.weight", d),
                    new MixtureOfExperts(w.linear(p + "ffn_gate_inp", d, nE, true), experts, c.expertUsedCount(),
                            SWIGLU_ALPHA, SWIGLU_LIMIT));
        }
    }

    /** Even layers attend within a sliding window (bounded ring-buffer cache); odd layers see everything. */
    private boolean isSlidingWindowLayer(int l) {
        return l % 2 == 0;
    }

    @Override
    protected LayerKvCache layerCache(int l, int maxContext) {
        return isSlidingWindowLayer(l)
                ? LayerKvCache.slidingWindow(config.headCountKv(), config.keyLength(), config.valueLength(),
                        config.slidingWindow(), maxContext, MAX_BATCH_ROWS)
                : super.layerCache(l, maxContext);
    }

    @Override
    protected int feedForwardWidth() {
        return config.expertFeedForwardLength();
    }

    @Override
    protected void layer(int l, Batch batch, Workspace ws, Parallel parallel) {
        Block b = blocks[l];
        int n = batch.size();

        // Self-attention with biases and per-head sinks.
        rmsNorm(ws.x, ws.xn, b.attnNorm(), batch);
        b.wq().apply(ws.xn, n, ws.q, parallel, ws.batchInvariant);
        b.wk().apply(ws.xn, n, ws.k, parallel, ws.batchInvariant);
        b.wv().apply(ws.xn, n, ws.v, parallel, ws.batchInvariant);
        applyRope(ws, batch);
        attention(l, batch, ws, parallel, b.sinks());
        b.wo().apply(ws.att, n, ws.out, parallel, ws.batchInvariant);
        addResidual(ws, batch);

        // Mixture-of-experts feed-forward.
        rmsNorm(ws.x, ws.xn, b.postAttnNorm(), batch);
        b.feedForward().apply(batch, ws, parallel);
        addResidual(ws, batch);
    }
}
