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

    /**
     * Cuts the sequence back to its first {@code newLength} positions, so that it can continue from there (e.g. to
     * score several continuations of one shared prefix).
     *
     * @throws IllegalArgumentException if {@code newLength} is not in {@code [0, length]}
     * @throws IllegalStateException if a sliding-window layer has already overwritten what the cut needs
     */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot cut a sequence of " + length + " positions back to " + newLength);
        }
        for (int l = 0; l < layers.length; l++) {
            if (!layers[l].canForget(length - newLength)) {
                throw new IllegalStateException("layer " + l + "'s sliding window no longer holds the positions before "
                        + newLength + " (" + (length - newLength) + " positions were added since)");
            }
        }
        length = newLength;
    }

    /** Forgets every position, keeping the storage. */
    public void clear() {
        length = 0;
    }
}
