package dev.lectern.pipeline.testing;

import dev.lectern.pipeline.beam.JobRunner;

import java.nio.file.Path;
import java.time.Duration;

/** Runs a job with the stand-in extractor in a JVM of its own, so that a test can kill it with SIGKILL. */
public final class JobProcess {

    private JobProcess() {
    }

    public static void main(String[] args) throws Exception {
        new JobRunner(FakeExtractor.factory(), null, false, Duration.ofSeconds(60)).run(Path.of(args[0]));
    }

    /** Starts {@code main} on {@code job} in a new JVM with this test JVM's class path. */
    public static Process start(Path job, long extractDelayMillis, Path log) throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Dlectern.test.extractDelayMillis=" + extractDelayMillis,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), JobProcess.class.getName(), job.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
