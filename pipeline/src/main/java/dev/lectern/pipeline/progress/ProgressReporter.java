package dev.lectern.pipeline.progress;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows a run's progress on stderr: a progress bar (files done/total, rate, errors, ETA) when stderr is a
 * terminal, otherwise a plain line every few seconds, as CI logs want. Reads {@link RunCounters}; never touches
 * the results.
 */
public final class ProgressReporter implements AutoCloseable {

    private final RunCounters counters;
    private final long total;
    private final PrintStream err;
    private final Thread thread;
    private final long started = System.nanoTime();
    private volatile boolean running = true;

    private ProgressReporter(RunCounters counters, long total, PrintStream err, boolean terminal, Duration every) {
        this.counters = counters;
        this.total = total;
        this.err = err;
        this.thread = Thread.ofPlatform().daemon().name("lectern-progress")
                .unstarted(terminal ? this::showBar : () -> showLines(every));
        thread.start();
    }

    /** Starts reporting; {@code terminal} picks the bar, otherwise plain lines every {@code every}. */
    public static ProgressReporter start(RunCounters counters, long total, PrintStream err, boolean terminal,
                                         Duration every) {
        return new ProgressReporter(counters, total, err, terminal, every);
    }

    /** Whether stderr goes to a terminal (JDK 22+: {@code System.console()} exists even when redirected). */
    public static boolean stderrIsTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal() && System.getenv("CI") == null;
    }

    private void showBar() {
        try (ProgressBar bar = new ProgressBarBuilder()
                .setTaskName("documents")
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setConsumer(new ConsoleProgressBarConsumer(err))
                .setUpdateIntervalMillis(250)
                .showSpeed()
                .build()) {
            while (running) {
                bar.stepTo(counters.files());
                bar.setExtraMessage(" " + counters.errors() + " errors");
                sleep(250);
            }
            bar.stepTo(counters.files());
            bar.setExtraMessage(" " + counters.errors() + " errors");
        }
    }

    private void showLines(Duration every) {
        while (running) {
            sleep(every.toMillis());
            if (running) {
                err.println(line());
            }
        }
    }

    /** {@code lectern: 120/1000 files (12%), 4.0 files/s, 3 errors, ETA 3m40s}. */
    String line() {
        long done = counters.files();
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        double rate = done / seconds;
        String eta = rate > 0 ? formatDuration((long) ((total - done) / rate)) : "unknown";
        return String.format(Locale.ROOT, "lectern: %d/%d files (%d%%), %.1f files/s, %d errors, %d kept from the "
                        + "last run, ETA %s", done, total, total == 0 ? 100 : done * 100 / total, rate,
                counters.errors(), counters.kept(), eta);
    }

    static String formatDuration(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60)
                : seconds >= 60 ? String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60)
                : seconds + "s";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
