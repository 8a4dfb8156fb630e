package dev.lectern.pipeline.cli;

import dev.lectern.pipeline.beam.Extractors;
import dev.lectern.pipeline.beam.JobRunner;
import dev.lectern.pipeline.config.JobConfigLoader;
import dev.lectern.pipeline.config.JobFile;
import dev.lectern.pipeline.config.OutputMode;
import dev.lectern.pipeline.config.RunnerKind;
import dev.lectern.pipeline.progress.ProgressReporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lectern run JOB.yaml}: runs a job and writes its results and manifest. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a job: reads the input folder, writes one JSONL record per document (and per embedded "
                + "document) plus a run manifest.",
                "Rerunning a job keeps the records of documents that did not change."},
        footer = {"", "Exit codes: 0 the run finished (documents that failed are error records in the results), "
                + "1 the run failed, 2 the job file or model cannot be used."})
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB.yaml", description = "The job file (see docs/job-config.md).")
    Path job;

    @Option(names = "--output", paramLabel = "PATH", description = "Write the results here instead of output.path.")
    Path output;

    @Option(names = "--runner", paramLabel = "direct|flink",
            description = "Beam runner: direct (default) or flink (an embedded local Flink cluster).")
    RunnerKind runner;

    @Option(names = "--workers", paramLabel = "N", description = "Parallel workers (default: job's workers, "
            + "else the number of cores).")
    Integer workers;

    @Option(names = "--overwrite", description = "Process every document again instead of resuming.")
    boolean overwrite;

    @Option(names = "--progress-every", paramLabel = "SECONDS", defaultValue = "10",
            description = "Interval of the plain progress lines written when stderr is not a terminal "
                    + "(default: ${DEFAULT-VALUE}).")
    int progressEvery;

    @Override
    public Integer call() throws Exception {
        JobFile file = new JobConfigLoader().load(job);
        if (output != null) {
            file = file.with(file.config().withOutputPath(output.toAbsolutePath()));
        }
        if (runner != null) {
            file = file.with(file.config().withRunner(runner));
        }
        if (workers != null) {
            file = file.with(file.config().withWorkers(workers));
        }
        if (overwrite) {
            file = file.with(file.config().withOutputMode(OutputMode.OVERWRITE));
        }
        JobRunner.Outcome outcome = new JobRunner(Extractors.tika(), System.err,
                ProgressReporter.stderrIsTerminal(), Duration.ofSeconds(Math.max(1, progressEvery))).run(file);
        var c = outcome.counts();
        System.out.printf(Locale.ROOT, "lectern: %d files -> %d records: %d ok, %d errors, %d kept from the last run "
                        + "(%.1f s)%n", c.files(), c.records(), c.ok(), c.error(), c.skipped(), outcome.wallSeconds());
        System.out.println("results:  " + relative(outcome.results()));
        System.out.println("manifest: " + relative(outcome.manifest()));
        return 0;
    }

    private static String relative(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }
}
