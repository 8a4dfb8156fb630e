package dev.lectern.pipeline.progress;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressReporterTest {

    @Test
    void plainLinesWhenNotATerminal() throws InterruptedException {
        RunCounters counters = RunCounters.of("progress-test");
        counters.fileDone(0, false);
        counters.fileDone(2, false);
        counters.fileDone(0, true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ProgressReporter ignored = ProgressReporter.start(counters, 10,
                new PrintStream(bytes, true, StandardCharsets.UTF_8), false, Duration.ofMillis(50))) {
            Thread.sleep(300);
        }
        RunCounters.forget("progress-test");
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.lines().findFirst().orElseThrow()
                .matches("lectern: 3/10 files \\(30%\\), [0-9.]+ files/s, 2 errors, 1 kept from the last run, ETA .+"),
                out);
        assertEquals("1h01m", ProgressReporter.formatDuration(3660));
        assertEquals("2m05s", ProgressReporter.formatDuration(125));
    }
}
