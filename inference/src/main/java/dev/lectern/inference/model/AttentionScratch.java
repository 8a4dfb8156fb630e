package dev.lectern.inference.model;

/**
 * Per-thread attention score buffers. Attention runs on the kernel pool's threads, whose identity a loop body does
 * not know, so each thread keeps one buffer that grows with the longest sequence it has seen.
 */
final class AttentionScratch {
    private static final ThreadLocal<float[]> SCORES = ThreadLocal.withInitial(() -> new float[256]);

    private AttentionScratch() {}

    static float[] scores(int n) {
        float[] s = SCORES.get();
        if (s.length < n) {
            s = new float[Math.max(n, s.length * 2)];
            SCORES.set(s);
        }
        return s;
    }
}
