package dev.lectern.inference.tensor;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class ParallelTest {

    @Test
    void coversTheRangeOnceWithGrainAlignedChunks() {
        try (Parallel p = new Parallel(3)) {
            int[] hits = new int[100];
            AtomicInteger chunks = new AtomicInteger();
            p.forRange(100, 16, (s, e) -> {
                chunks.incrementAndGet();
                assertEquals(0, s % 16);
                for (int i = s; i < e; i++) hits[i]++;
            });
            for (int h : hits) assertEquals(1, h);
            assertEquals(3, chunks.get());
        }
    }

    @Test
    void propagatesFailuresAndStaysUsable() {
        try (Parallel p = new Parallel(3)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.forRange(100, 1, (s, end) -> {
                if (s > 0) throw new IllegalStateException("boom");
            }));
            assertEquals("boom", e.getMessage());
            int[] sum = new int[1];
            p.forRange(10, 1, (s, end) -> {
                synchronized (sum) {
                    sum[0] += end - s;
                }
            });
            assertEquals(10, sum[0]);
        }
    }

    @Test
    void nestedLoopsRunSeriallyInsteadOfDeadlocking() {
        try (Parallel p = new Parallel(2)) {
            AtomicInteger inner = new AtomicInteger();
            p.forRange(128, 64, (s, e) -> p.forRange(10, 1, (a, b) -> inner.addAndGet(b - a)));
            assertEquals(20, inner.get());
        }
    }

    /** Several pipeline workers sharing one engine call into one pool at once: each gets exact results. */
    @Test
    void concurrentCallersShareOnePool() throws Exception {
        Matrix m = MatrixTest.build(GgmlType.Q8_0).matrix();
        float[] x = MatrixTest.activations(5, m.cols(), 3);
        float[] expected = new float[5 * m.rows()];
        m.matmul(x, 5, expected);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try (Parallel p = new Parallel(2)) {
            Future<?>[] f = new Future<?>[6];
            for (int c = 0; c < f.length; c++) {
                f[c] = callers.submit(() -> {
                    for (int rep = 0; rep < 20; rep++) {
                        float[] out = new float[5 * m.rows()];
                        m.matmul(x, 5, out, p);
                        assertArrayEquals(expected, out);
                    }
                    return null;
                });
            }
            for (Future<?> fu : f) fu.get();
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void rejectsBadThreadCounts() {
        assertThrows(IllegalArgumentException.class, () -> new Parallel(0));
        assertEquals(1, Parallel.serial().threads());
    }
}
