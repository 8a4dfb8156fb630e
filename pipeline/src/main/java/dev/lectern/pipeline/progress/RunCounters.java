package dev.lectern.pipeline.progress;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live counts of one run, shared by the workers (which add to them) and the progress display (which reads them).
 * Both runners Lectern uses execute the DoFns in the launching JVM, so a JVM-wide registry keyed by run id is
 * enough. Counts are for display only; the results and manifest are counted from the records themselves.
 */
public final class RunCounters {

    private static final ConcurrentMap<String, RunCounters> RUNS = new ConcurrentHashMap<>();

    private final AtomicLong files = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong kept = new AtomicLong();

    public static RunCounters of(String runId) {
        return RUNS.computeIfAbsent(runId, id -> new RunCounters());
    }

    public static void forget(String runId) {
        RUNS.remove(runId);
    }

    /** One input file finished: {@code errorRecords} of its records are errors; {@code keptEarlier} if skipped. */
    public void fileDone(int errorRecords, boolean keptEarlier) {
        errors.addAndGet(errorRecords);
        if (keptEarlier) {
            kept.incrementAndGet();
        }
        files.incrementAndGet();
    }

    public long files() {
        return files.get();
    }

    public long errors() {
        return errors.get();
    }

    public long kept() {
        return kept.get();
    }
}
