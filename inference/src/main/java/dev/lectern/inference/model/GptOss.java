package dev.lectern.inference.model;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.gguf.GgufFormatException;
import dev.lectern.inference.tensor.Parallel;

import java.util.Arrays;

/**
 * gpt-oss (OpenAI, 2025): pre-norm blocks whose attention has biases, a learned sink logit per head and, on even
 * layers, a sliding window; and whose feed-forward is a mixture of experts.
 * <pre>
 *   h   = x + W_o · Attention_sinks(RoPE_YaRN(W_q·n + b_q), RoPE_YaRN(W_k·n + b_k), W_v·n + b_v) + b_o,  n = RMSNorm(x)
 *   m   = RMSNorm(h);  ℓ = W_router · m + b_router;  E = top-k(ℓ);  p = softmax(ℓ_E)
 *   out = h + Σ_{e∈E} p_e · (W_down,e · SwiGLU_clamped(W_gate,e·m + b, W_up,e·m + b) + b_down,e)
 * </pre>
 * with {@code SwiGLU_clamped(g, u) = min(g,7)·σ(1.702·min(g,7)) · (clamp(u,±7) + 1)}. Only the selected experts
 * are computed: the rows of a batch are grouped by expert so each expert's weights are read once per pass.
 */
public final class GptOss extends DecoderModel {
    /** SwiGLU slope α and clamp of the gpt-oss experts. */
    static final float SWIGLU_ALPHA = 1.702f;
    static final float SWIGLU_LIMIT = 7.0f;

    private final Block[] blocks;

    private record Expert(Linear gate, Linear up, Linear down) {}

    private record Block(float[] attnNorm, Linear wq, Linear wk, Linear wv, Linear wo, float[] sinks,
                         float[] postAttnNorm, Linear router, Expert[] experts) {}

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
            Expert[] experts = new Expert[nE];
            for (int e = 0; e < nE; e++) {
                experts[e] = new Expert(
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
                    w.linear(p + "ffn_gate_inp", d, nE, true),
                    experts);
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
        route(b.router(), batch, ws, parallel);
        mixExperts(b.experts(), batch, ws, parallel);
        addResidual(ws, batch);
    }

    /** Per row: router logits, the top-k experts (highest logit, lowest index on ties) and softmax weights over them. */
    private void route(Linear router, Batch batch, Workspace ws, Parallel parallel) {
        int nE = config.expertCount();
        int k = config.expertUsedCount();
        router.apply(ws.xn, batch.size(), ws.routerLogits, parallel, ws.batchInvariant);
        for (int r = 0; r < batch.size(); r++) {
            int base = r * nE;
            for (int j = 0; j < k; j++) {
                int best = -1;
                for (int e = 0; e < nE; e++) {
                    if (isChosen(ws, r * k, j, e)) continue;
                    if (best < 0 || ws.routerLogits[base + e] > ws.routerLogits[base + best]) best = e;
                }
                ws.chosenExperts[r * k + j] = best;
                ws.expertWeights[r * k + j] = ws.routerLogits[base + best];
            }
            Softmax.softmax(ws.expertWeights, r * k, k);
        }
    }

    private static boolean isChosen(Workspace ws, int off, int count, int e) {
        for (int i = 0; i < count; i++) if (ws.chosenExperts[off + i] == e) return true;
        return false;
    }

    /**
     * {@code ws.out[r] = Σ p_{r,e} · expert_e(ws.xn[r])}. Each expert runs once over the rows routed to it; its
     * contributions are added in expert order, so a row's sum does not depend on the other rows.
     */
    private void mixExperts(Expert[] experts, Batch batch, Workspace ws, Parallel parallel) {
        int d = config.embeddingLength();
        int k = config.expertUsedCount();
        int ff = config.expertFeedForwardLength();
        int n = batch.size();
        Arrays.fill(ws.out, 0, n * d, 0f);
        for (int e = 0; e < experts.length; e++) {
            int count = 0;
            for (int r = 0; r < n; r++) {
                if (isChosen(ws, r * k, k, e)) {
                    ws.expertRows[count] = r;
                    System.arraycopy(ws.xn, r * d, ws.expertIn, count * d, d);
                    count++;
                }
            }
            if (count == 0) continue;
            Expert x = experts[e];
            x.gate().apply(ws.expertIn, count, ws.gate, parallel, ws.batchInvariant);
            x.up().apply(ws.expertIn, count, ws.up, parallel, ws.batchInvariant);
            Activations.clampedSwiglu(ws.gate, 0, ws.up, 0, count * ff, SWIGLU_ALPHA, SWIGLU_LIMIT);
            x.down().apply(ws.gate, count, ws.expertOut, parallel, ws.batchInvariant);
            for (int i = 0; i < count; i++) {
                int r = ws.expertRows[i];
                float p = weightOf(ws, r * k, k, e);
                for (int j = 0; j < d; j++) ws.out[r * d + j] += p * ws.expertOut[i * d + j];
            }
        }
    }

    private static float weightOf(Workspace ws, int off, int k, int e) {
        for (int i = 0; i < k; i++) if (ws.chosenExperts[off + i] == e) return ws.expertWeights[off + i];
        throw new IllegalStateException("expert " + e + " was not chosen");
    }
}
