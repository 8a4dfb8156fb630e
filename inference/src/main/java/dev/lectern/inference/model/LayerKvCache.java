package dev.lectern.inference.model;

/**
 * Keys and values of one attention layer for one sequence, in F32. Keys are stored transposed,
 * {@code [kvHead][dim][slot]}, so a query's scores over all positions are built by vector FMAs along the positions
 * (no per-position horizontal sum); values are {@code [kvHead][slot][dim]}, so the weighted sum of values is a
 * vector FMA along the dimensions.
 *
 * <p>A full-attention layer keeps every position: slot = position, and storage grows by doubling up to the
 * sequence's maximum context (memory follows the tokens actually held, not the model's 128k limit). A
 * sliding-window layer keeps a ring of {@code window + maxBatchRows - 1} slots: enough for the last {@code window}
 * positions of every row of a batch whose keys were all written before attention reads them.
 */
public final class LayerKvCache {
    private final int nKvHeads;
    private final int keyDim;
    private final int valueDim;
    private final int window;
    private final int maxContext;
    private int capacity;
    private float[] keys;
    private float[] values;

    private LayerKvCache(int nKvHeads, int keyDim, int valueDim, int window, int maxContext, int capacity) {
        this.nKvHeads = nKvHeads;
        this.keyDim = keyDim;
        this.valueDim = valueDim;
        this.window = window;
        this.maxContext = maxContext;
        this.capacity = capacity;
        this.keys = new float[size(nKvHeads, capacity, keyDim)];
        this.values = new float[size(nKvHeads, capacity, valueDim)];
    }

    /** A layer that attends to every earlier position. */
    public static LayerKvCache full(int nKvHeads, int keyDim, int valueDim, int maxContext) {
        return new LayerKvCache(nKvHeads, keyDim, valueDim, 0, maxContext, Math.min(maxContext, 64));
    }

    /** A layer that attends to the last {@code window} positions only (bounded memory). */
    public static LayerKvCache slidingWindow(int nKvHeads, int keyDim, int valueDim, int window, int maxContext,
                                             int maxBatchRows) {
        int ring = Math.min(maxContext, window + maxBatchRows - 1);
        return new LayerKvCache(nKvHeads, keyDim, valueDim, window, maxContext, ring);
    }

    /** Window size, or 0 for full attention. */
    public int window() {
        return window;
    }

    /** First position a query at {@code pos} may attend to. */
    public int firstVisible(int pos) {
        return window == 0 ? 0 : Math.max(0, pos - window + 1);
    }

    public float[] keys() {
        return keys;
    }

    public float[] values() {
        return values;
    }

    /** Slots per (head, dimension) row of {@link #keys()}: the stride between dimensions. */
    public int capacity() {
        return capacity;
    }

    /** Offset in {@link #keys()} of dimension {@code dim} of {@code kvHead}'s keys, at slot 0. */
    public int keyRowOffset(int kvHead, int dim) {
        return (kvHead * keyDim + dim) * capacity;
    }

    /** Offset in {@link #values()} of the value of {@code kvHead} at {@code pos}. */
    public int valueOffset(int kvHead, int pos) {
        return (kvHead * capacity + slot(pos)) * valueDim;
    }

    /**
     * Whether the sequence may be cut back by {@code positions} and continue: always for full attention; for a
     * sliding window only while the ring still holds the window before the cut (the slots written since then
     * must not have overwritten it).
     */
    public boolean canForget(int positions) {
        return window == 0 || capacity >= maxContext || positions <= capacity - window;
    }

    /** The storage slot of a position (a ring index for sliding-window layers). */
    public int slot(int pos) {
        return window == 0 ? pos : pos % capacity;
    }

    /** Stores the keys and values of all KV heads at {@code pos} (from {@code k[kOff..]}, {@code v[vOff..]}). */
    public void store(int pos, float[] k, int kOff, float[] v, int vOff) {
        if (window == 0 && pos >= capacity) grow(pos + 1);
        int slot = slot(pos);
        for (int h = 0; h < nKvHeads; h++) {
            for (int i = 0; i < keyDim; i++) keys[keyRowOffset(h, i) + slot] = k[kOff + h * keyDim + i];
            System.arraycopy(v, vOff + h * valueDim, values, valueOffset(h, pos), valueDim);
        }
    }

    private void grow(int needed) {
        int newCapacity = Math.min(maxContext, Math.max(needed, capacity * 2));
        float[] newKeys = new float[size(nKvHeads, newCapacity, keyDim)];
        float[] newValues = new float[size(nKvHeads, newCapacity, valueDim)];
        for (int row = 0; row < nKvHeads * keyDim; row++) {
            System.arraycopy(keys, row * capacity, newKeys, row * newCapacity, capacity);
        }
        for (int h = 0; h < nKvHeads; h++) {
            System.arraycopy(values, h * capacity * valueDim, newValues, h * newCapacity * valueDim, capacity * valueDim);
        }
        keys = newKeys;
        values = newValues;
        capacity = newCapacity;
    }

    /** Floats for {@code heads × slots × dim}, refused clearly when one layer's cache would not fit a Java array. */
    private static int size(int heads, int slots, int dim) {
        long n = (long) heads * slots * dim;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a KV cache of " + slots + " positions × " + heads + " heads × " + dim
                    + " floats per layer exceeds the largest Java array; use a shorter context");
        }
        return (int) n;
    }
}
