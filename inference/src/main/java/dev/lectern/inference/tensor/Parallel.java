package dev.lectern.inference.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A small fixed pool of worker threads that runs a loop over {@code [0, n)} split into contiguous chunks.
 *
 * <p>Kernels split their work by <b>output rows</b>, and each output is computed by one thread with a fixed
 * summation order, so results are bit-identical whatever the thread count. Chunk boundaries are multiples of a
 * caller-given grain, so that kernels that handle rows in tiles see the same tiles whatever the thread count.
 *
 * <p>One loop runs at a time per pool: concurrent callers (e.g. several pipeline workers sharing one engine) queue
 * on the pool's lock. A loop body must not call back into the same pool; such a nested call runs serially.
 */
public final class Parallel implements AutoCloseable {

    /** A loop body over a half-open range of indices. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private static final Parallel SERIAL = new Parallel(1);

    private final int threads;
    private final Worker[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Throwable failure;
    /** The thread running a loop on this pool right now (it runs chunk 0), to detect nested calls. */
    private volatile Thread caller;

    /** A pool running loops on {@code threads} threads: the caller plus {@code threads - 1} daemon workers. */
    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker("lectern-kernel-" + (i + 1));
            workers[i].start();
        }
    }

    /** The shared single-threaded instance (no worker threads). */
    public static Parallel serial() {
        return SERIAL;
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)}, split into at most {@link #threads()} contiguous chunks whose
     * boundaries are multiples of {@code grain} (except the end {@code n}). Returns when every chunk is done;
     * an exception in any chunk is rethrown here.
     */
    public void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int g = Math.max(1, grain);
        int units = (n + g - 1) / g;
        int parts = Math.min(threads, units);
        Thread me = Thread.currentThread();
        if (parts <= 1 || me instanceof Worker || me == caller) {
            body.run(0, n);
            return;
        }
        synchronized (this) {
            caller = me;
            failure = null;
            pending.set(parts - 1);
            for (int p = 1; p < parts; p++) {
                workers[p - 1].submit(body, boundary(p, parts, units, g, n), boundary(p + 1, parts, units, g, n));
            }
            try {
                body.run(0, boundary(1, parts, units, g, n));
            } catch (Throwable t) {
                failure = t;
            }
            // The workers' chunks are about as long as ours: spin briefly, then park-poll.
            int spins = 0;
            while (pending.get() != 0) {
                if (++spins < 10_000) Thread.onSpinWait();
                else LockSupport.parkNanos(20_000);
            }
            caller = null;
            Throwable t = failure;
            if (t != null) {
                failure = null;
                if (t instanceof RuntimeException re) throw re;
                if (t instanceof Error e) throw e;
                throw new RuntimeException(t);
            }
        }
    }

    private static int boundary(int p, int parts, int units, int grain, int n) {
        return (int) Math.min(n, (long) units * p / parts * grain);
    }

    /** Stops the worker threads. The shared {@link #serial()} instance ignores this. */
    @Override
    public void close() {
        for (Worker w : workers) w.interrupt();
    }

    private final class Worker extends Thread {
        private volatile RangeBody body;
        private int start;
        private int end;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        void submit(RangeBody b, int s, int e) {
            start = s;
            end = e;
            body = b; // volatile write publishes start/end
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                RangeBody b = body;
                if (b == null) {
                    // A forward pass issues loops back to back: spin a little before parking, since waking a parked
                    // thread costs tens of microseconds per loop.
                    for (int i = 0; i < 2_000 && (b = body) == null; i++) Thread.onSpinWait();
                    if (b == null) {
                        LockSupport.park(this);
                        continue;
                    }
                }
                try {
                    b.run(start, end);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    body = null;
                    pending.decrementAndGet();
                }
            }
        }
    }
}
