package dev.lectern.pipeline.extract;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one task at a time on a worker thread and waits at most a deadline for it. A task that overruns is cancelled
 * (interrupted) and its thread abandoned: Java cannot kill a thread, so a parser stuck in a loop is left to die on
 * its own (its thread is a daemon, so it never keeps the JVM alive) and the next task gets a fresh thread.
 */
final class DeadlineRunner implements AutoCloseable {

    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private ExecutorService executor = newExecutor();
    private int abandonedThreads;

    /**
     * @throws TimeoutException     the task overran the deadline; its thread has been abandoned
     * @throws ExecutionException   the task threw (the cause is what it threw)
     * @throws InterruptedException the calling thread was interrupted while waiting; the task was abandoned too
     */
    <T> T call(Callable<T> task, Duration timeout) throws TimeoutException, ExecutionException, InterruptedException {
        Future<T> future = executor.submit(task);
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException e) {
            future.cancel(true);
            abandonWorker();
            throw e;
        }
    }

    /** How many stuck worker threads this runner has given up on. */
    int abandonedThreads() {
        return abandonedThreads;
    }

    private void abandonWorker() {
        executor.shutdownNow();
        executor = newExecutor();
        abandonedThreads++;
    }

    private static ExecutorService newExecutor() {
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lectern-extract-" + THREAD_NUMBER.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
