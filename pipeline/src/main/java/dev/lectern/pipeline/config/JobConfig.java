package dev.lectern.pipeline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.io.Serializable;

/**
 * A job as written in a job file ({@code jobs/*.yaml}). Every section is documented in {@code docs/job-config.md}.
 * Relative paths inside the file are resolved against the file's own folder (see {@link JobConfigLoader}).
 *
 * @param input      which files to read
 * @param extraction what one document's extraction may cost
 * @param task       what to do with each document
 * @param model      which model the task uses (absent: the built-in default)
 * @param output     where the results go
 * @param seed       the job seed; each document's sampling seed derives from it and the document's hash
 * @param workers    parallel workers (threads for the direct runner, parallelism for Flink)
 * @param runner     {@code direct} (default) or {@code flink} (embedded local Flink)
 */
@JsonPropertyOrder({"input", "extraction", "task", "model", "output", "seed", "workers", "runner"})
public record JobConfig(
        @JsonProperty(value = "input", required = true) InputConfig input,
        @JsonProperty("extraction") ExtractionConfig extraction,
        @JsonProperty(value = "task", required = true) TaskOptions task,
        @JsonProperty("model") ModelConfig model,
        @JsonProperty(value = "output", required = true) OutputConfig output,
        @JsonProperty("seed") Long seed,
        @JsonProperty("workers") Integer workers,
        @JsonProperty("runner") RunnerKind runner) implements Serializable {

    public static final long DEFAULT_SEED = 42;

    public JobConfig {
        extraction = extraction == null ? ExtractionConfig.defaults() : extraction;
        model = model == null ? ModelConfig.builtIn() : model;
        seed = seed == null ? DEFAULT_SEED : seed;
        workers = workers == null ? Math.max(1, Runtime.getRuntime().availableProcessors()) : workers;
        runner = runner == null ? RunnerKind.DIRECT : runner;
    }

    public JobConfig withOutputPath(java.nio.file.Path path) {
        return new JobConfig(input, extraction, task, model, output.withPath(path.toString()), seed, workers, runner);
    }

    public JobConfig withRunner(RunnerKind newRunner) {
        return new JobConfig(input, extraction, task, model, output, seed, workers, newRunner);
    }

    public JobConfig withWorkers(int newWorkers) {
        return new JobConfig(input, extraction, task, model, output, seed, newWorkers, runner);
    }

    public JobConfig withOutputMode(OutputMode mode) {
        return new JobConfig(input, extraction, task, model, new OutputConfig(output.path(), mode), seed, workers, runner);
    }
}
