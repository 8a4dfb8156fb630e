package dev.lectern.inference.model;

/**
 * The rows of one forward pass: each row is a token at a position of a sequence (its {@link KvCache}). Rows of
 * one sequence must be added in position order; rows of different sequences may be mixed, so that one pass over
 * the weights serves several sequences. Rows marked for logits get a row of vocabulary logits, in row order.
 */
public final class Batch {
    private final int capacity;
    private final int[] tokens;
    private final int[] positions;
    private final KvCache[] caches;
    private final int[] logitRows;
    private int size;
    private int logitCount;

    public Batch(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("batch capacity must be at least 1, got " + capacity);
        this.capacity = capacity;
        this.tokens = new int[capacity];
        this.positions = new int[capacity];
        this.caches = new KvCache[capacity];
        this.logitRows = new int[capacity];
    }

    /**
     * Appends a token at the next free position of {@code cache}.
     *
     * @return the row index
     * @throws ContextOverflowException if the sequence is full
     * @throws IllegalStateException if the batch is full
     */
    public int add(KvCache cache, int token, boolean wantLogits) {
        if (size == capacity) throw new IllegalStateException("batch is full (" + capacity + " rows)");
        int row = size++;
        tokens[row] = token;
        caches[row] = cache;
        positions[row] = cache.reserve(1);
        if (wantLogits) logitRows[logitCount++] = row;
        return row;
    }

    public void clear() {
        size = 0;
        logitCount = 0;
        java.util.Arrays.fill(caches, null);
    }

    public int capacity() {
        return capacity;
    }

    public int size() {
        return size;
    }

    public int token(int row) {
        return tokens[row];
    }

    public int position(int row) {
        return positions[row];
    }

    public KvCache cache(int row) {
        return caches[row];
    }

    /** Number of rows that want logits. */
    public int logitCount() {
        return logitCount;
    }

    /** The batch row of the {@code i}-th logits row. */
    public int logitRow(int i) {
        return logitRows[i];
    }
}
