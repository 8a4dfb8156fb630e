package dev.lectern.pipeline.task;

/** How task results write scores and probabilities into records. */
public final class RecordNumbers {

    private RecordNumbers() {
    }

    /**
     * Rounds to four decimals: plenty to compare sentences and labels, short enough to keep records readable, and
     * coarse enough that the last-bit noise of float arithmetic never shows up in a record.
     */
    public static double fourDecimals(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
