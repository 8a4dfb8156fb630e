package dev.lectern.inference.generate;

import dev.lectern.inference.model.Batch;
import dev.lectern.inference.model.ContextOverflowException;
import dev.lectern.inference.model.DecoderModel;
import dev.lectern.inference.model.KvCache;
import dev.lectern.inference.model.Workspace;
import dev.lectern.inference.tensor.Parallel;

/**
 * One sequence being processed: its KV cache, its scratch activations, and the logits of its last position.
 * A session is used by one thread at a time; many sessions may share one model.
 */
public final class Session {
    private final DecoderModel model;
    private final Parallel parallel;
    private final KvCache cache;
    private final Workspace workspace;
    private final Batch batch;
    private final float[] logits;
    private boolean hasLogits;

    /** A session of at most {@code contextLength} tokens whose passes run on {@code parallel}. */
    public Session(DecoderModel model, int contextLength, Parallel parallel) {
        this(model, contextLength, parallel, false);
    }

    /**
     * A session whose passes, with {@code batchInvariant}, use the batched kernel for every product (see
     * {@link DecoderModel#newWorkspace(int, boolean)}): its numbers then match those of {@link BatchGenerator}.
     */
    public Session(DecoderModel model, int contextLength, Parallel parallel, boolean batchInvariant) {
        this.model = model;
        this.parallel = parallel;
        this.cache = model.newCache(contextLength);
        // A short sequence never runs more rows than its context: size the scratch to that.
        int rows = Math.min(DecoderModel.MAX_BATCH_ROWS, contextLength);
        this.workspace = model.newWorkspace(rows, batchInvariant);
        this.batch = new Batch(rows);
        this.logits = new float[model.vocabSize()];
    }

    /** Tokens held so far (the position the next token will take). */
    public int position() {
        return cache.length();
    }

    public int vocabSize() {
        return model.vocabSize();
    }

    public int contextLength() {
        return cache.maxContext();
    }

    /** The KV cache of this sequence (for multi-sequence batches built by the caller). */
    public KvCache cache() {
        return cache;
    }

    /**
     * Runs the prompt {@code ids} through the model as a batch (split into passes of at most
     * {@link DecoderModel#MAX_BATCH_ROWS} tokens) and returns the logits at its last position.
     *
     * @return the vocabulary logits; the array is reused by the next call
     * @throws ContextOverflowException if the tokens do not fit in the remaining context (nothing is consumed)
     */
    public float[] prefill(int[] ids) {
        if (ids.length == 0) throw new IllegalArgumentException("prefill needs at least one token");
        if (ids.length > cache.remaining()) {
            throw new ContextOverflowException(cache.length(), ids.length, cache.maxContext());
        }
        checkTokens(ids);
        for (int start = 0; start < ids.length; start += batch.capacity()) {
            int end = Math.min(ids.length, start + batch.capacity());
            batch.clear();
            for (int i = start; i < end; i++) batch.add(cache, ids[i], i == ids.length - 1);
            model.forward(batch, workspace, parallel);
        }
        System.arraycopy(workspace.logits(), 0, logits, 0, logits.length);
        hasLogits = true;
        return logits;
    }

    /** Rows per pass when every row needs logits: bounds the logits buffer to this many vocabulary rows. */
    private static final int SCORING_ROWS = 32;

    /**
     * Appends {@code ids} and returns how likely the model found each one: entry {@code i} is
     * {@code log P(ids[i] | everything before it)} (natural log). Entry 0 is scored with the logits the previous
     * call left, so it is NaN when the session was empty (e.g. for a leading BOS). Afterwards {@link #logits()}
     * holds the prediction after the last id. Useful to rank candidate continuations such as class labels.
     *
     * @throws ContextOverflowException if the tokens do not fit in the remaining context (nothing is consumed)
     */
    public float[] logProbabilities(int[] ids) {
        if (ids.length == 0) throw new IllegalArgumentException("logProbabilities needs at least one token");
        if (ids.length > cache.remaining()) {
            throw new ContextOverflowException(cache.length(), ids.length, cache.maxContext());
        }
        checkTokens(ids);
        float[] result = new float[ids.length];
        result[0] = hasLogits ? logSoftmaxAt(logits, 0, ids[0]) : Float.NaN;
        int v = model.vocabSize();
        int step = Math.min(SCORING_ROWS, batch.capacity());
        for (int start = 0; start < ids.length; start += step) {
            int end = Math.min(ids.length, start + step);
            batch.clear();
            for (int i = start; i < end; i++) batch.add(cache, ids[i], true);
            model.forward(batch, workspace, parallel);
            float[] rows = workspace.logits();
            // Row i's logits predict token i + 1.
            for (int i = start; i < end && i + 1 < ids.length; i++) {
                result[i + 1] = logSoftmaxAt(rows, (i - start) * v, ids[i + 1]);
            }
            if (end == ids.length) System.arraycopy(rows, (end - 1 - start) * v, logits, 0, v);
        }
        hasLogits = true;
        return result;
    }

    /** {@code log softmax(row)[id]} for the vocabulary row at {@code off}. */
    private float logSoftmaxAt(float[] rows, int off, int id) {
        int v = model.vocabSize();
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < v; j++) max = Math.max(max, rows[off + j]);
        double sum = 0;
        for (int j = 0; j < v; j++) sum += Math.exp(rows[off + j] - max);
        return (float) (rows[off + id] - max - Math.log(sum));
    }

    /** The logits after the last token appended (reused by the next call). */
    public float[] logits() {
        if (!hasLogits) throw new IllegalStateException("no token has been run in this session yet");
        return logits;
    }

    /** Appends one token and returns the logits for the next one (the array is reused by the next call). */
    public float[] decode(int id) {
        if (cache.remaining() < 1) throw new ContextOverflowException(cache.length(), 1, cache.maxContext());
        if (id < 0 || id >= model.vocabSize()) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + model.vocabSize() + ")");
        }
        batch.clear();
        batch.add(cache, id, true);
        model.forward(batch, workspace, parallel);
        System.arraycopy(workspace.logits(), 0, logits, 0, logits.length);
        hasLogits = true;
        return logits;
    }

    /**
     * A point this session can come back to: its length and the logits there. Scoring several continuations of
     * one prompt runs the prompt once, takes a checkpoint, and {@linkplain #restore restores} it before each.
     */
    public record Checkpoint(int position, float[] logits) {}

    /** The current length and logits (copied), to {@link #restore} later. */
    public Checkpoint checkpoint() {
        return new Checkpoint(position(), hasLogits ? logits.clone() : null);
    }

    /**
     * Cuts the sequence back to {@code checkpoint} (taken from this session, which has only grown since): the
     * KV cache keeps the prefix and the logits are those at the checkpoint.
     *
     * @throws IllegalStateException if a sliding-window layer no longer holds what the prefix needs
     */
    public void restore(Checkpoint checkpoint) {
        cache.truncate(checkpoint.position());
        hasLogits = checkpoint.logits() != null;
        if (hasLogits) System.arraycopy(checkpoint.logits(), 0, logits, 0, logits.length);
    }

    /** Forgets the sequence so the session can be reused for another prompt. */
    public void reset() {
        cache.clear();
        hasLogits = false;
    }

    private void checkTokens(int[] ids) {
        for (int id : ids) {
            if (id < 0 || id >= model.vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + model.vocabSize() + ")");
            }
        }
    }
}
