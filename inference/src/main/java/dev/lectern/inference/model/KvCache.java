package dev.lectern.inference.model;

/**
 * The attention memory of one sequence: a {@link LayerKvCache} per layer and the number of positions filled.
 * Positions are appended in order; {@link #reserve(int)} refuses a batch that would exceed the context.
 */
public final class KvCache {
    private final LayerKvCache[] layers;
    private final int maxContext;
    private int length;

    public KvCache(LayerKvCache[] layers, int maxContext) {
        this.layers = layers.clone();
        this.maxContext = maxContext;
    }

    public LayerKvCache layer(int i) {
        return layers[i];
    }

    /** Positions held so far; the next token goes at this position. */
    public int length() {
        return length;
    }

    public int maxContext() {
        return maxContext;
    }

    /** Positions still free. */
    public int remaining() {
        return maxContext - length;
    }

    /**
     * Claims the next {@code n} positions and returns the first of them.
     *
     * @throws ContextOverflowException if they do not fit in the context
     */
    public int reserve(int n) {
        if (n > remaining()) {
            throw new ContextOverflowException(length, n, maxContext);
        }
        int first = length;
        length += n;
        return first;
    }

    /** Forgets every position, keeping the storage. */
    public void clear() {
        length = 0;
    }
}
