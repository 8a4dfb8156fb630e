package dev.lectern.pipeline.cli;

import dev.lectern.pipeline.beam.Extractors;
import dev.lectern.pipeline.beam.JobRunner;
import dev.lectern.pipeline.config.JobConfigLoader;
import dev.lectern.pipeline.config.JobFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code lectern validate JOB.yaml}: every check {@code run} makes before processing, and nothing else. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks a job file (fields, values, folders, the task and its model) without running it.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB.yaml", description = "The job file (see docs/job-config.md).")
    Path job;

    @Override
    public Integer call() {
        JobFile file = new JobConfigLoader().load(job);
        JobRunner.Prepared prepared = new JobRunner(Extractors.tika(), null, false, null).prepare(file);
        System.out.println(job + ": ok (task " + file.config().task().type()
                + (prepared.model() == null ? "" : ", model " + prepared.model().id()) + ", input "
                + file.inputFolder() + ", output " + file.outputPath() + ")");
        return 0;
    }
}
