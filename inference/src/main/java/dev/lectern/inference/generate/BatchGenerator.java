package dev.lectern.inference.generate;

import dev.lectern.inference.model.Batch;
import dev.lectern.inference.model.ContextOverflowException;
import dev.lectern.inference.model.DecoderModel;
import dev.lectern.inference.model.KvCache;
import dev.lectern.inference.model.Workspace;
import dev.lectern.inference.sampling.Sampler;
import dev.lectern.inference.tokenizer.StreamingDecoder;
import dev.lectern.inference.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Generates for many prompts at once on one engine: continuous multi-sequence batching. Callers on any threads
 * {@linkplain #submit submit} prompts; one scheduler thread admits up to {@code maxBatch} sequences, prefills each
 * new one on its own, then runs every decode step as ONE forward pass holding one row per active sequence, so each
 * weight read from memory serves all of them. Each sequence keeps its own KV cache, position, sampler and stop
 * rule; a finished sequence leaves and a waiting one takes its place at the next step.
 *
 * <p>Results do not depend on batching: a prompt is prefilled alone (its numbers depend on nothing else), and
 * every decode pass runs with batch-invariant kernels ({@link DecoderModel#newWorkspace(int, boolean)}); attention,
 * norms and sampling are per row. A sequence's tokens are therefore bit-identical whether it ran alone or among
 * seven others, admitted early or late.
 */
public final class BatchGenerator implements AutoCloseable {

    private final Engine engine;
    private final DecoderModel model;
    private final Tokenizer tokenizer;
    private final int maxBatch;
    private final Workspace prefillSpace;
    private final Workspace decodeSpace;
    private final Batch prefillBatch;
    private final Batch decodeBatch;
    /** One sequence's logits row, as the sampler sees it (used by the scheduler thread only). */
    private final float[] row;
    private final LinkedBlockingQueue<Sequence> waiting = new LinkedBlockingQueue<>();
    private final Thread scheduler;
    private volatile boolean closed;
    private volatile Throwable failure;

    /**
     * @param engine   the shared model (its worker pool runs the passes)
     * @param maxBatch most sequences decoded together (1 .. {@link DecoderModel#MAX_BATCH_ROWS})
     */
    public BatchGenerator(Engine engine, int maxBatch) {
        if (maxBatch < 1 || maxBatch > DecoderModel.MAX_BATCH_ROWS) {
            throw new IllegalArgumentException("batch size: expected 1 to " + DecoderModel.MAX_BATCH_ROWS + ", got " + maxBatch);
        }
        this.engine = engine;
        this.model = engine.model();
        this.tokenizer = engine.tokenizer();
        this.maxBatch = maxBatch;
        // Prefill runs one prompt at a time, so its numbers never depend on batching: it keeps the fast GEMM.
        this.prefillSpace = model.newWorkspace(DecoderModel.MAX_BATCH_ROWS, false);
        this.decodeSpace = model.newWorkspace(maxBatch, true);
        this.prefillBatch = new Batch(DecoderModel.MAX_BATCH_ROWS);
        this.decodeBatch = new Batch(maxBatch);
        this.row = new float[model.vocabSize()];
        this.scheduler = Thread.ofPlatform().daemon().name("lectern-batch-decoder").unstarted(this::schedule);
        scheduler.start();
    }

    public int maxBatch() {
        return maxBatch;
    }

    public Engine engine() {
        return engine;
    }

    /**
     * Queues a generation of {@code promptIds}. With {@code harmonyReply} and a harmony model, the result's
     * {@link GenerationResult#reply()} is the {@code final} channel. The sequence's context is sized to the prompt
     * plus {@code options.maxTokens()} (at most the model's context).
     *
     * @return completes with the result, or exceptionally (e.g. {@link ContextOverflowException}
     *         when the prompt does not fit the model's context)
     */
    public CompletableFuture<GenerationResult> submit(int[] promptIds, GenerationOptions options, boolean harmonyReply) {
        Objects.requireNonNull(options, "options");
        CompletableFuture<GenerationResult> future = new CompletableFuture<>();
        if (promptIds.length == 0) {
            future.completeExceptionally(new IllegalArgumentException("empty prompt: it encodes to no tokens"));
            return future;
        }
        waiting.add(new Sequence(promptIds.clone(), options, harmonyReply, future));
        // Checked after queueing: a scheduler that stopped meanwhile can no longer drain the queue itself.
        if (closed) {
            Throwable why = failure;
            for (Sequence s; (s = waiting.poll()) != null; ) {
                s.future.completeExceptionally(why != null
                        ? new IllegalStateException("the batch generator stopped after a failed pass", why)
                        : new CancellationException("the batch generator is closed"));
            }
        }
        return future;
    }

    /** Submits and waits: what a pipeline worker thread calls. */
    public GenerationResult generate(int[] promptIds, GenerationOptions options, boolean harmonyReply)
            throws InterruptedException {
        try {
            return submit(promptIds, options, harmonyReply).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        }
    }

    /** Stops the scheduler; sequences still queued or running complete with a {@link CancellationException}. */
    @Override
    public void close() {
        closed = true;
        scheduler.interrupt();
        try {
            scheduler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Sequence s; (s = waiting.poll()) != null; ) s.future.cancel(false);
    }

    // ---- the scheduler thread ----

    private void schedule() {
        List<Sequence> active = new ArrayList<>(maxBatch);
        try {
            while (!closed) {
                if (active.isEmpty()) active.add(waiting.take());
                // A caller that gave up (cancelled its future) frees its place.
                active.removeIf(s -> s.future.isDone());
                for (Sequence s; active.size() < maxBatch && (s = waiting.poll()) != null; ) active.add(s);
                // New sequences: prefill one by one and take their first token.
                for (int i = 0; i < active.size(); i++) {
                    Sequence s = active.get(i);
                    if (s.cache == null && !start(s)) {
                        active.remove(i--);
                    }
                }
                if (!active.isEmpty()) decodeStep(active);
            }
        } catch (InterruptedException e) {
            // close() asked us to stop.
        } catch (Throwable t) {
            // A failed pass leaves the model's scratch in an unknown state: fail everything, now and later.
            failure = t;
            closed = true;
            for (Sequence s : active) s.future.completeExceptionally(t);
            for (Sequence s; (s = waiting.poll()) != null; ) s.future.completeExceptionally(t);
            return;
        }
        for (Sequence s : active) s.future.cancel(false);
    }

    /** Prefills {@code s} and samples its first token; false when it is already finished (or failed). */
    private boolean start(Sequence s) {
        try {
            int context = (int) Math.min(model.config().contextLength(), (long) s.prompt.length + s.options.maxTokens());
            s.cache = model.newCache(Math.max(1, context));
            if (s.prompt.length > s.cache.remaining()) {
                throw new ContextOverflowException(0, s.prompt.length, s.cache.maxContext());
            }
            s.sampler = new Sampler(s.options.sampling(), model.vocabSize());
            for (int id : s.prompt) {
                checkToken(id);
                s.sampler.accept(id);
            }
            long t0 = System.nanoTime();
            int rows = prefillBatch.capacity();
            for (int start = 0; start < s.prompt.length; start += rows) {
                int end = Math.min(s.prompt.length, start + rows);
                prefillBatch.clear();
                for (int i = start; i < end; i++) prefillBatch.add(s.cache, s.prompt[i], i == s.prompt.length - 1);
                model.forward(prefillBatch, prefillSpace, engine.parallel());
            }
            prefillBatch.clear();
            s.promptNanos = System.nanoTime() - t0;
            s.decodeStart = System.nanoTime();
            return !s.accept(prefillSpace.logits(), 0);
        } catch (RuntimeException e) {
            prefillBatch.clear();
            s.future.completeExceptionally(e);
            return false;
        }
    }

    /** One forward pass over every active sequence's last token, then each samples its next one. */
    private void decodeStep(List<Sequence> active) {
        decodeBatch.clear();
        for (Sequence s : active) decodeBatch.add(s.cache, s.next, true);
        model.forward(decodeBatch, decodeSpace, engine.parallel());
        decodeBatch.clear();
        float[] logits = decodeSpace.logits();
        int v = model.vocabSize();
        int row = 0;
        for (int i = 0; i < active.size(); i++, row++) {
            Sequence s = active.get(i);
            s.decodeSteps++;
            boolean finished;
            try {
                finished = s.accept(logits, row * v);
            } catch (RuntimeException e) {
                // One sequence's failure (its sampler, its decoder) is its own; the others go on.
                s.future.completeExceptionally(e);
                finished = true;
            }
            if (finished) active.remove(i--);
        }
    }

    private void checkToken(int id) {
        if (id < 0 || id >= model.vocabSize()) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + model.vocabSize() + ")");
        }
    }

    /** One generation in flight: its cache, sampler, output so far and where its answer goes. */
    private final class Sequence {
        final int[] prompt;
        final GenerationOptions options;
        final boolean harmonyReply;
        final CompletableFuture<GenerationResult> future;
        KvCache cache;
        Sampler sampler;
        final StreamingDecoder decoder = new StreamingDecoder(tokenizer, true);
        final StringBuilder text = new StringBuilder();
        int[] generated = new int[16];
        int count;
        int next;
        int decodeSteps;
        long promptNanos;
        long decodeStart;

        Sequence(int[] prompt, GenerationOptions options, boolean harmonyReply, CompletableFuture<GenerationResult> future) {
            this.prompt = prompt;
            this.options = options;
            this.harmonyReply = harmonyReply;
            this.future = future;
        }

        /**
         * Samples from the logits row at {@code off}, as {@link Generator} does: stop token, token budget or full
         * context end the sequence (and complete its future); otherwise the token is fed at the next step.
         *
         * @return whether the sequence is finished
         */
        boolean accept(float[] logits, int off) {
            // The sampler may reorder what it is given: hand it a copy of this sequence's row.
            System.arraycopy(logits, off, row, 0, row.length);
            int id = sampler.sample(row);
            if (tokenizer.isEndOfGeneration(id) || options.stopTokens().contains(id)) {
                return finish(StopReason.END_OF_GENERATION);
            }
            if (count == generated.length) generated = Arrays.copyOf(generated, generated.length * 2);
            generated[count++] = id;
            sampler.accept(id);
            text.append(decoder.append(id));
            if (count == options.maxTokens()) return finish(StopReason.MAX_TOKENS);
            if (cache.remaining() == 0) return finish(StopReason.CONTEXT_FULL);
            next = id;
            return false;
        }

        private boolean finish(StopReason reason) {
            text.append(decoder.finish());
            int[] ids = Arrays.copyOf(generated, count);
            String t = text.toString();
            GenerationResult r = new GenerationResult(prompt, ids, t, t, reason, promptNanos,
                    System.nanoTime() - decodeStart, decodeSteps);
            if (harmonyReply && engine.isHarmony()) r = r.withReply(engine.finalText(ids));
            future.complete(r);
            cache = null;
            return true;
        }
    }
}
