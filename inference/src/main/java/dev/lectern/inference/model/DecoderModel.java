package dev.lectern.inference.model;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.tensor.Matrix;
import dev.lectern.inference.tensor.Parallel;

/**
 * What every decoder-only architecture shares: token embedding, the stack of layers (each architecture writes its
 * own {@link #layer}), the final norm and the vocabulary projection, plus the operations layers are made of,
 * applied to every row of a {@link Batch}.
 *
 * <p>A model holds only read-only weights (slices of the mapped file), so one instance serves any number of
 * sessions on any number of threads; each session brings its own {@link KvCache} and {@link Workspace}.
 */
public abstract class DecoderModel {
    /** Rows per forward pass: longer prompts are split into passes of at most this many tokens. */
    public static final int MAX_BATCH_ROWS = 256;

    protected final GgufFile file;
    protected final ModelConfig config;
    protected final Matrix tokenEmbedding;
    protected final float[] outputNorm;
    protected final Matrix output;
    protected final Rope rope;
    protected final int vocabSize;

    protected DecoderModel(GgufFile file, ModelConfig config, Rope rope) {
        this.file = file;
        this.config = config;
        this.rope = rope;
        Weights w = new Weights(file);
        this.tokenEmbedding = w.matrix("token_embd.weight", config.embeddingLength(), -1);
        this.vocabSize = tokenEmbedding.rows();
        this.outputNorm = w.vector("output_norm.weight", config.embeddingLength());
        // Tied embeddings: models without an output projection reuse the token embedding.
        this.output = file.hasTensor("output.weight")
                ? w.matrix("output.weight", config.embeddingLength(), vocabSize)
                : tokenEmbedding;
    }

    public ModelConfig config() {
        return config;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public GgufFile file() {
        return file;
    }

    /** A fresh, empty KV cache for one sequence of at most {@code maxContext} positions. */
    public KvCache newCache(int maxContext) {
        if (maxContext < 1 || maxContext > config.contextLength()) {
            throw new IllegalArgumentException("context " + maxContext + " must be between 1 and the model's context_length "
                    + config.contextLength());
        }
        LayerKvCache[] layers = new LayerKvCache[config.blockCount()];
        for (int l = 0; l < layers.length; l++) layers[l] = layerCache(l, maxContext);
        return new KvCache(layers, maxContext);
    }

    /** The cache of layer {@code l}; full attention unless an architecture says otherwise. */
    protected LayerKvCache layerCache(int l, int maxContext) {
        return LayerKvCache.full(config.headCountKv(), config.keyLength(), config.valueLength(), maxContext);
    }

    /** Scratch for forward passes of up to {@link #MAX_BATCH_ROWS} rows. */
    public Workspace newWorkspace() {
        return newWorkspace(MAX_BATCH_ROWS);
    }

    /** Scratch for forward passes of up to {@code maxRows} (≤ {@link #MAX_BATCH_ROWS}) rows. */
    public Workspace newWorkspace(int maxRows) {
        return newWorkspace(maxRows, false);
    }

    /**
     * Scratch for forward passes of up to {@code maxRows} rows; with {@code batchInvariant} every matrix product
     * of those passes uses the batched kernel even for a single row, so each row's logits are bit-identical
     * whatever else shares its pass (multi-sequence decoding at any batch size gives the same tokens).
     */
    public Workspace newWorkspace(int maxRows, boolean batchInvariant) {
        if (maxRows < 1 || maxRows > MAX_BATCH_ROWS) {
            throw new IllegalArgumentException("workspace rows must be between 1 and " + MAX_BATCH_ROWS + ", got " + maxRows);
        }
        return new Workspace(config, maxRows, feedForwardWidth(), vocabSize, batchInvariant);
    }

    /** Width of the feed-forward hidden activations this architecture needs per row. */
    protected int feedForwardWidth() {
        return config.feedForwardLength();
    }

    /**
     * Runs every row of {@code batch} through the model, appending each row's keys and values to its sequence's
     * cache, and leaves in {@link Workspace#logits()} the logits of the rows that asked for them.
     */
    public final void forward(Batch batch, Workspace ws, Parallel parallel) {
        int n = batch.size();
        if (n > ws.maxRows) throw new IllegalArgumentException("batch of " + n + " rows exceeds the workspace's " + ws.maxRows);
        int d = config.embeddingLength();
        for (int r = 0; r < n; r++) {
            int token = batch.token(r);
            if (token < 0 || token >= vocabSize) {
                throw new IllegalArgumentException("token id " + token + " is outside the vocabulary [0, " + vocabSize + ")");
            }
            tokenEmbedding.dequantizeRow(token, ws.x, r * d);
        }
        for (int l = 0; l < config.blockCount(); l++) {
            layer(l, batch, ws, parallel);
        }
        int m = batch.logitCount();
        for (int i = 0; i < m; i++) {
            Norms.rmsNorm(ws.x, batch.logitRow(i) * d, outputNorm, config.rmsNormEps(), ws.head, i * d, d);
        }
        output.matmul(ws.head, 0, m, ws.logitsFor(m), 0, parallel, ws.batchInvariant);
    }

    /** One transformer block over all rows of the batch, updating the residual stream {@code ws.x} in place. */
    protected abstract void layer(int l, Batch batch, Workspace ws, Parallel parallel);

    /**
     * Whether this pass is a single row (one token of one sequence): layers may then run several projections in one
     * parallel loop ({@link RowProjections}), which gives the same bits as one loop per projection in either mode.
     */
    protected static boolean oneRow(Batch batch) {
        return batch.size() == 1;
    }

    // ---- operations over all rows of a batch ----

    /** {@code dst[r] = RMSNorm(src[r]) ⊙ weight} for every row. */
    protected final void rmsNorm(float[] src, float[] dst, float[] weight, Batch batch) {
        int d = weight.length;
        for (int r = 0; r < batch.size(); r++) Norms.rmsNorm(src, r * d, weight, config.rmsNormEps(), dst, r * d, d);
    }

    /** RMSNorm of each head of each row, in place (per-head QK-norm). */
    protected final void rmsNormHeads(float[] x, int nHeads, int headDim, float[] weight, Batch batch) {
        for (int r = 0; r < batch.size(); r++) {
            for (int h = 0; h < nHeads; h++) {
                int off = (r * nHeads + h) * headDim;
                Norms.rmsNorm(x, off, weight, config.rmsNormEps(), x, off, headDim);
            }
        }
    }

    /** Rotates the query and key heads of every row by the row's position. */
    protected final void applyRope(Workspace ws, Batch batch) {
        int qHeads = config.headCount();
        int kHeads = config.headCountKv();
        int hd = config.keyLength();
        for (int r = 0; r < batch.size(); r++) {
            rope.angles(batch.position(r), ws.cosSin);
            rope.rotate(ws.q, r * qHeads * hd, qHeads, hd, ws.cosSin);
            rope.rotate(ws.k, r * kHeads * hd, kHeads, hd, ws.cosSin);
        }
    }

    /**
     * Causal multi-head attention of layer {@code l}: appends each row's keys and values to its sequence's cache,
     * then every (row, head) attends over its own sequence, in parallel. Writes {@code ws.att}.
     *
     * @param sinks per-head sink logits, or null
     */
    protected final void attention(int l, Batch batch, Workspace ws, Parallel parallel, float[] sinks) {
        int nHead = config.headCount();
        int nKv = config.headCountKv();
        int kd = config.keyLength();
        int vd = config.valueLength();
        int group = config.groupSize();
        for (int r = 0; r < batch.size(); r++) {
            batch.cache(r).layer(l).store(batch.position(r), ws.k, r * nKv * kd, ws.v, r * nKv * vd);
        }
        float scale = (float) (1.0 / Math.sqrt(kd));
        // Work units are (head, row), head-major: each thread gets whole heads over all rows, which balances the
        // causal cost (later rows see more positions) and keeps one KV head's cache hot.
        int n = batch.size();
        parallel.forRange(n * nHead, 1, (start, end) -> {
            for (int u = start; u < end; u++) {
                int h = u / n;
                int r = u % n;
                int pos = batch.position(r);
                float[] scores = AttentionScratch.scores(pos + 1);
                Attention.attendHead(ws.q, (r * nHead + h) * kd, batch.cache(r).layer(l), h / group, pos, scale,
                        sinks == null ? Float.NEGATIVE_INFINITY : sinks[h], scores, ws.att, (r * nHead + h) * vd, kd, vd);
            }
        });
    }

    /** The residual connection: {@code ws.x += ws.out} over every row. */
    protected final void addResidual(Workspace ws, Batch batch) {
        int d = config.embeddingLength();
        Activations.addInPlace(ws.x, 0, ws.out, 0, batch.size() * d);
    }
}
