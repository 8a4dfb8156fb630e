package dev.lectern.inference.tensor;

/**
 * Activation rows rounded to 8-bit integers per block of 32 columns, the way llama.cpp rounds activations to Q8_0
 * before its integer dot products with 4-bit weights: per block, {@code scale = amax / 127} and
 * {@code q = rint(x · 127 / amax)}, so {@code |q| ≤ 127} and {@code x ≈ q · scale}. Read by {@link Q4_0Panels}.
 *
 * <p>Per row {@code s} and block {@code b}, held for the kernels' convenience:
 * <ul>
 *   <li>{@code pairs[s·cols/2 + j]}: columns {@code 2j} and {@code 2j + 1} as two 16-bit integers in one int (low
 *       half first), which one broadcast spreads over a short vector as {@code q[2j], q[2j+1], q[2j], ...};
 *   <li>{@code scales[s·blocks + b]}: the block's scale;
 *   <li>{@code offsets[s·blocks + b]}: {@code 8 · Σ q} over the block, what Q4_0's stored codes (0 .. 15, the
 *       weight being {@code code - 8}) overcount.
 * </ul>
 * A block of zeros has scale 0 and codes 0; a NaN or infinity gives a NaN scale, so the products that read it are
 * NaN, as they would be with the floats.
 */
final class QuantizedActivations {

    /** Columns per block: llama.cpp's Q8_0 blocks. */
    static final int BLOCK = Q8_0Matrix.BLOCK;

    /** Per thread, two sets: for a batch's rows and for its zero-padded last group ({@link RowPanels#padded}). */
    private static final ThreadLocal<QuantizedActivations[]> PER_THREAD =
            ThreadLocal.withInitial(() -> new QuantizedActivations[] {new QuantizedActivations(), new QuantizedActivations()});

    int[] pairs = new int[0];
    float[] scales = new float[0];
    int[] offsets = new int[0];

    private QuantizedActivations() {}

    /**
     * The {@code count} rows of {@code cols} columns at {@code x[from + s·cols]}, quantized, followed by zero rows
     * up to {@code rows} in all, into this thread's set {@code slot} (0 or 1), which is returned.
     */
    static QuantizedActivations of(float[] x, int from, int count, int rows, int cols, int slot) {
        QuantizedActivations q = PER_THREAD.get()[slot];
        q.fill(x, from, count, rows, cols);
        return q;
    }

    private void fill(float[] x, int from, int count, int rows, int cols) {
        int blocks = cols / BLOCK, half = cols / 2;
        if (pairs.length < rows * half) pairs = new int[rows * half];
        if (scales.length < rows * blocks) {
            scales = new float[rows * blocks];
            offsets = new int[rows * blocks];
        }
        for (int s = 0; s < count; s++) {
            for (int b = 0; b < blocks; b++) block(x, from + s * cols + b * BLOCK, s * half + b * BLOCK / 2, s * blocks + b);
        }
        java.util.Arrays.fill(pairs, count * half, rows * half, 0);
        java.util.Arrays.fill(scales, count * blocks, rows * blocks, 0f);
        java.util.Arrays.fill(offsets, count * blocks, rows * blocks, 0);
    }

    /** The block at {@code x[at]} into {@code pairs[p ..]}, {@code scales[i]} and {@code offsets[i]}. */
    private void block(float[] x, int at, int p, int i) {
        float amax = 0;
        for (int k = 0; k < BLOCK; k++) amax = Math.max(amax, Math.abs(x[at + k]));
        float inverse = amax == 0 ? 0 : 127f / amax;
        int sum = 0;
        for (int k = 0; k < BLOCK; k += 2) {
            int q0 = code(x[at + k], inverse), q1 = code(x[at + k + 1], inverse);
            sum += q0 + q1;
            pairs[p + k / 2] = (q0 & 0xFFFF) | q1 << 16;
        }
        scales[i] = amax / 127f;
        offsets[i] = 8 * sum;
    }

    /** {@code rint(v · inverse)}, within ±127 (NaN gives 0; the block's NaN scale carries it). */
    private static int code(float v, float inverse) {
        return Math.clamp((long) Math.rint(v * inverse), -127, 127);
    }
}
