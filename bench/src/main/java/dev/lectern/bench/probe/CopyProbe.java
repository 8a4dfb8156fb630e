package dev.lectern.bench.probe;

import dev.lectern.inference.tensor.Parallel;

/**
 * A plain Java copy loop ({@code dst[i] = src[i]} over float arrays far larger than the caches, which C2
 * vectorizes by itself): what ordinary code gets from the memory system. Reported STREAM-style, counting the
 * bytes read plus the bytes written.
 */
public final class CopyProbe {
    private final float[] src;
    private final float[] dst;

    public CopyProbe(int floats) {
        src = new float[floats];
        dst = new float[floats];
        for (int i = 0; i < floats; i++) src[i] = i & 1023;
    }

    /** One copy of the whole array, split into one contiguous part per thread; returns GB/s (read + write). */
    public double pass(Parallel parallel) {
        int parts = parallel.threads();
        int n = src.length;
        long start = System.nanoTime();
        parallel.forRange(parts, 1, (s, e) -> {
            for (int p = s; p < e; p++) copy(src, dst, (int) ((long) n * p / parts), (int) ((long) n * (p + 1) / parts));
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        return 2.0 * 4 * n / seconds / 1e9;
    }

    static void copy(float[] src, float[] dst, int from, int to) {
        for (int i = from; i < to; i++) dst[i] = src[i];
    }
}
