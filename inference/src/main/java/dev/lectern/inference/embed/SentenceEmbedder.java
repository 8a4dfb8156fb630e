package dev.lectern.inference.embed;

import dev.lectern.inference.bert.BertEncoder;
import dev.lectern.inference.tensor.Parallel;
import dev.lectern.inference.tokenizer.WordPieceTokenizer;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sentence embeddings from a BERT encoder: tokenize ({@code [CLS] … [SEP]}, truncated to the model's limit), encode,
 * pool (the mean over the tokens, or the [CLS] vector), L2-normalize. Texts are encoded in batches (packed, no padding); each text's vector is
 * bit-identical whether it is embedded alone or with others, and whatever the thread count.
 *
 * <p>Instances are immutable and thread-safe: concurrent callers share the weights, and their matrix products queue
 * on the {@link Parallel} pool.
 */
public final class SentenceEmbedder {
    /**
     * Tokens per forward pass: bounds the activation buffers of one call (seven per-token arrays, about 8 MB for
     * MiniLM at this size, per thread when texts are split between threads) while keeping batches large enough for
     * the GEMM to reuse each weight row many times. 2048 measured no faster on one thread (the packed activations
     * of the widest product then outgrow the L2 cache).
     */
    static final int MAX_BATCH_TOKENS = 512;
    /** The smallest batch when texts are shared between threads: eight GEMM panels of 32 rows. */
    static final int MIN_SHARED_BATCH_TOKENS = 256;

    private final BertEncoder encoder;
    private final WordPieceTokenizer tokenizer;
    private final Pooling pooling;
    private final Parallel parallel;

    /** A mean-pooling embedder (sentence-transformers' default). */
    public SentenceEmbedder(BertEncoder encoder, WordPieceTokenizer tokenizer, Parallel parallel) {
        this(encoder, tokenizer, Pooling.MEAN, parallel);
    }

    public SentenceEmbedder(BertEncoder encoder, WordPieceTokenizer tokenizer, Pooling pooling, Parallel parallel) {
        String source = encoder.model().source();
        if (tokenizer.vocabularySize() != encoder.model().config().vocabularySize()) {
            throw new IllegalArgumentException(source + ": the tokenizer has " + tokenizer.vocabularySize()
                    + " tokens, the model's embedding table " + encoder.model().config().vocabularySize());
        }
        if (tokenizer.maxLength() > encoder.model().config().maxPositions()) {
            throw new IllegalArgumentException(source + ": the tokenizer allows " + tokenizer.maxLength()
                    + " tokens, the model has " + encoder.model().config().maxPositions() + " positions");
        }
        this.encoder = encoder;
        this.tokenizer = tokenizer;
        this.pooling = pooling;
        this.parallel = parallel;
    }

    /** The same model and tokenizer running on another thread pool. */
    public SentenceEmbedder withParallel(Parallel other) {
        return new SentenceEmbedder(encoder, tokenizer, pooling, other);
    }

    /**
     * One L2-normalized vector per text, in order. A text longer than {@link #maxTokens()} pieces is truncated (its
     * first pieces are used); callers that must not lose text split it first with {@link #countTokens}. The empty
     * string gives the embedding of {@code [CLS] [SEP]}.
     */
    public float[][] embed(List<String> texts) {
        int[][] sequences = new int[texts.size()][];
        for (int i = 0; i < sequences.length; i++) {
            sequences[i] = tokenizer.encodeForModel(texts.get(i));
        }
        return embedTokens(sequences);
    }

    public float[] embed(String text) {
        return embed(List.of(text))[0];
    }

    /**
     * Embeds already tokenized sequences, each {@code [CLS] … [SEP]} as {@link WordPieceTokenizer#encodeForModel} gives.
     *
     * <p>With several threads and at least as many texts as threads, the texts are split between the threads rather
     * than splitting every matrix product: the texts are cut into consecutive batches, and each thread takes the next
     * batch not yet taken and runs the whole encoder on it with serial kernels. The threads then synchronize once per
     * call instead of several times per layer, and a thread slowed by other work on a shared machine takes fewer
     * batches instead of holding the others up. The vectors are the same bits either way, because each text's
     * arithmetic does not depend on the texts packed with it nor on the thread that runs it.
     */
    public float[][] embedTokens(int[][] sequences) {
        float[][] vectors = new float[sequences.length][];
        int threads = parallel.threads();
        if (threads > 1 && sequences.length >= threads) {
            long total = 0;
            for (int[] sequence : sequences) {
                total += sequence.length;
            }
            // About four batches per thread for balance, but not so small that the GEMM's panels are mostly padding.
            int batchTokens = (int) Math.clamp(total / (4L * threads), MIN_SHARED_BATCH_TOKENS, MAX_BATCH_TOKENS);
            int[] starts = batchStarts(sequences, 0, sequences.length, batchTokens);
            AtomicInteger next = new AtomicInteger();
            parallel.forRange(threads, 1, (first, end) -> {
                for (int b = next.getAndIncrement(); b < starts.length - 1; b = next.getAndIncrement()) {
                    embedBatch(sequences, starts[b], starts[b + 1], vectors, Parallel.serial());
                }
            });
        } else {
            int[] starts = batchStarts(sequences, 0, sequences.length, MAX_BATCH_TOKENS);
            for (int b = 0; b < starts.length - 1; b++) {
                embedBatch(sequences, starts[b], starts[b + 1], vectors, parallel);
            }
        }
        return vectors;
    }

    /**
     * Cuts {@code sequences[first, end)} into consecutive batches of at most {@code maxTokens} tokens (a longer
     * sequence alone): the start of each batch, then {@code end}.
     */
    private static int[] batchStarts(int[][] sequences, int first, int end, int maxTokens) {
        int[] starts = new int[end - first + 1];
        int count = 0;
        int start = first;
        while (start < end) {
            starts[count++] = start;
            int stop = start;
            int tokens = 0;
            while (stop < end && (stop == start || tokens + sequences[stop].length <= maxTokens)) {
                tokens += sequences[stop].length;
                stop++;
            }
            start = stop;
        }
        starts[count++] = end;
        return Arrays.copyOf(starts, count);
    }

    /** Embeds {@code sequences[start, stop)} in one forward pass into {@code vectors}. */
    private void embedBatch(int[][] sequences, int start, int stop, float[][] vectors, Parallel kernels) {
        int width = dimension();
        int[][] batch = Arrays.copyOfRange(sequences, start, stop);
        float[] hidden = encoder.forward(batch, kernels);
        int row = 0;
        for (int s = 0; s < batch.length; s++) {
            float[] pooled = pooling == Pooling.MEAN
                    ? MeanPooling.mean(hidden, row, batch[s].length, width)
                    : Arrays.copyOfRange(hidden, row * width, (row + 1) * width);
            vectors[start + s] = MeanPooling.normalizeInPlace(pooled);
            row += batch[s].length;
        }
    }

    /** Word pieces in {@code text}, without {@code [CLS]}/{@code [SEP]} and without truncation. */
    public int countTokens(String text) {
        return tokenizer.countTokens(text);
    }

    /** The most word pieces one text may have before it is truncated ([CLS]/[SEP] excluded): 126 for MiniLM. */
    public int maxTokens() {
        return tokenizer.maxPiecesPerSequence();
    }

    /** The length of every vector. */
    public int dimension() {
        return encoder.model().config().hiddenSize();
    }

    public Pooling pooling() {
        return pooling;
    }

    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    public BertEncoder encoder() {
        return encoder;
    }
}
