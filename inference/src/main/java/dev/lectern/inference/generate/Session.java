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

    /** A session of at most {@code contextLength} tokens whose passes run on {@code parallel}. */
    public Session(DecoderModel model, int contextLength, Parallel parallel) {
        this.model = model;
        this.parallel = parallel;
        this.cache = model.newCache(contextLength);
        this.workspace = model.newWorkspace();
        this.batch = new Batch(DecoderModel.MAX_BATCH_ROWS);
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
        return logits;
    }

    /** Forgets the sequence so the session can be reused for another prompt. */
    public void reset() {
        cache.clear();
    }

    private void checkTokens(int[] ids) {
        for (int id : ids) {
            if (id < 0 || id >= model.vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + model.vocabSize() + ")");
            }
        }
    }
}
