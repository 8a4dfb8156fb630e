package dev.lectern.pipeline.beam;

import dev.lectern.pipeline.config.ClassifyOptions;
import dev.lectern.pipeline.config.ConfigException;
import dev.lectern.pipeline.config.JobConfig;
import dev.lectern.pipeline.config.JobConfigLoader;
import dev.lectern.pipeline.config.JobFile;
import dev.lectern.pipeline.config.JobValidator;
import dev.lectern.pipeline.config.OutputMode;
import dev.lectern.pipeline.model.FileDigests;
import dev.lectern.pipeline.model.ModelIdentity;
import dev.lectern.pipeline.model.ModelLoadException;
import dev.lectern.pipeline.model.ModelSpec;
import dev.lectern.pipeline.output.GroupMerge;
import dev.lectern.pipeline.output.GroupSorter;
import dev.lectern.pipeline.output.PathOrder;
import dev.lectern.pipeline.output.ResultAssembler;
import dev.lectern.pipeline.output.RunFileSource;
import dev.lectern.pipeline.output.RunManifest;
import dev.lectern.pipeline.output.Versions;
import dev.lectern.pipeline.progress.ProgressReporter;
import dev.lectern.pipeline.progress.RunCounters;
import dev.lectern.pipeline.resume.Journal;
import dev.lectern.pipeline.resume.ResumeState;
import dev.lectern.pipeline.resume.WorkDir;
import dev.lectern.pipeline.task.TaskContext;
import dev.lectern.pipeline.task.TaskFactory;
import dev.lectern.pipeline.task.TaskRegistry;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Runs one job from a checked configuration to a results file and manifest:
 * <ol>
 *   <li>check the job (before anything runs) and prepare the task and its model;</li>
 *   <li>list the input files; index what an earlier run left that may be kept;</li>
 *   <li>run the Beam pipeline, which journals each file's records as it finishes;</li>
 *   <li>sort the journal and merge it with the kept records into the results file (atomically), then write the
 *       manifest and delete the work folder.</li>
 * </ol>
 */
public final class JobRunner {

    /** Bumped when the record schema changes, so that resume never keeps records of another shape. */
    public static final int RECORD_SCHEMA_VERSION = 1;
    private static final long MAX_RUN_CHARS = 64L << 20;

    /** What a finished run produced. */
    public record Outcome(Path results, Path manifest, ResultAssembler.Counts counts, double wallSeconds) {
    }

    private final ExtractorFactory extractors;
    private final PrintStream progressOut;
    private final boolean terminal;
    private final Duration progressEvery;

    /**
     * @param extractors    makes each worker's extractor
     * @param progressOut   where progress goes (stderr), or null for none
     * @param terminal      whether to draw a bar (else plain periodic lines)
     * @param progressEvery how often plain progress lines are written
     */
    public JobRunner(ExtractorFactory extractors, PrintStream progressOut, boolean terminal, Duration progressEvery) {
        this.extractors = extractors;
        this.progressOut = progressOut;
        this.terminal = terminal;
        this.progressEvery = progressEvery;
    }

    /** Checks everything that can be checked before a run; returns the task factory and model identity. */
    public Prepared prepare(JobFile job) {
        JobValidator.validate(job);
        JobConfig config = job.config();
        ModelSpec model = ModelSpec.of(job.modelPath(), config.model().chatFormat());
        String type = config.task().type();
        TaskFactory factory = TaskRegistry.find(type, model).orElseThrow(() -> job.error("task.type",
                "task '" + type + "' cannot run in this build with "
                        + (model.isBuiltIn() ? "the built-in model" : "model " + model.path())
                        + "; tasks available: " + String.join(", ", TaskRegistry.typesFor(model))));
        TaskContext context = new TaskContext(config.task(), model, job.baseDir().toString(), config.seed(),
                config.workers());
        ModelIdentity identity;
        try {
            identity = factory.prepare(context);
        } catch (ModelLoadException e) {
            throw job.error("model.path", e.getMessage());
        } catch (IllegalArgumentException e) {
            // A task's own check of its options (e.g. a few-shot label without examples, an unreadable example).
            throw job.error("task", e.getMessage());
        }
        return new Prepared(job, factory, context, identity, configHash(config),
                taskConfigHash(config, identity, examplesSha256(job)));
    }

    /** A job ready to run. */
    public record Prepared(JobFile job, TaskFactory factory, TaskContext context, ModelIdentity model,
                           String configHash, String taskConfigHash) {
    }

    public Outcome run(JobFile job) throws IOException {
        Instant started = Instant.now();
        Prepared prepared = prepare(job);
        JobConfig config = job.config();
        Path results = job.outputPath();
        Path manifest = RunManifest.pathFor(results);
        WorkDir workDir = WorkDir.forOutput(results);
        Files.createDirectories(results.toAbsolutePath().getParent());

        List<InputFile> listed = new InputScanner(job.inputFolder(), config.input(),
                Set.of(results.toAbsolutePath().normalize(), manifest.toAbsolutePath().normalize(), workDir.root()))
                .scan();

        FileLock lock;
        try {
            lock = workDir.lock();
        } catch (IllegalStateException e) {
            throw new ConfigException(job.source() + ": " + e.getMessage());
        }
        try {
            return runLocked(job, prepared, listed, results, manifest, workDir, started);
        } finally {
            lock.release();
            lock.channel().close();
        }
    }

    private Outcome runLocked(JobFile job, Prepared prepared, List<InputFile> listed, Path results, Path manifest,
                              WorkDir workDir, Instant started) throws IOException {
        JobConfig config = job.config();
        ResumeState resume;
        if (config.output().mode() == OutputMode.OVERWRITE) {
            resume = ResumeState.discard(workDir);
        } else {
            boolean sameTask = prepared.taskConfigHash().equals(RunManifest.taskConfigHashIn(manifest));
            resume = ResumeState.prepare(workDir, sameTask ? results : null, prepared.taskConfigHash(),
                    prepared.taskConfigHash());
        }
        Map<String, String> reusable = resume.reusableSha256();
        List<InputFile> files = new ArrayList<>(listed.size());
        for (InputFile f : listed) {
            files.add(f.withReusableSha256(reusable.get(f.relativePath())));
        }

        String stamp = workDir.newStamp();
        String runId = UUID.randomUUID().toString();
        RunSpec spec = new RunSpec(runId, workDir.root().toString(), stamp, config.extraction(),
                config.input().maxFileSize().bytes(), prepared.context(), prepared.taskConfigHash(), prepared.model(),
                extractors);
        RunCounters counters = RunCounters.of(runId);
        try (ProgressReporter ignored = progressOut == null ? null
                : ProgressReporter.start(counters, files.size(), progressOut, terminal, progressEvery)) {
            LecternPipeline.run(files, spec, config.runner(), config.workers());
        } finally {
            Journal.closeRun(workDir.root(), stamp);
            RunCounters.forget(runId);
        }

        ResultAssembler.Counts counts = assemble(results, files, workDir, stamp, resume, prepared);
        Instant finished = Instant.now();
        double wall = Duration.between(started, finished).toMillis() / 1000.0;
        new RunManifest(job.source().toString(), results.getFileName().toString(), prepared.configHash(),
                prepared.taskConfigHash(), config.task().type(), prepared.model(), Versions.current(),
                config.runner().yamlName(), config.workers(), counts, started.toString(), finished.toString(), wall)
                .write(manifest);
        workDir.delete();
        return new Outcome(results, manifest, counts, wall);
    }

    private static ResultAssembler.Counts assemble(Path results, List<InputFile> files, WorkDir workDir,
                                                   String stamp, ResumeState resume, Prepared prepared)
            throws IOException {
        GroupSorter sorter = new GroupSorter(MAX_RUN_CHARS);
        List<Path> freshRuns = new ArrayList<>();
        for (Path journal : workDir.journals()) {
            if (journal.getFileName().toString().startsWith("journal-" + stamp + "-")) {
                freshRuns.addAll(sorter.sortIntoRuns(journal, workDir.freshPrefix(journal)));
            }
        }
        try (GroupMerge merge = resume.openSources()) {
            for (int i = 0; i < freshRuns.size(); i++) {
                merge.add(new RunFileSource(freshRuns.get(i), g -> true), ResumeState.FRESH_PRECEDENCE + i, false);
            }
            return new ResultAssembler(prepared.context().options().type(), prepared.model())
                    .write(results, files.stream().map(InputFile::relativePath).iterator(), merge);
        }
    }

    /** Hash of the whole effective configuration (defaults filled in, command-line overrides applied). */
    static String configHash(JobConfig config) {
        return FileDigests.sha256(JobConfigLoader.canonicalJson(config));
    }

    /**
     * Hash of everything that shapes a record: extraction limits, task options, the model's weights, the seed and
     * the record schema. Records made under the same hash from the same file bytes are the same, so resume may
     * keep them. Input selection, workers, runner and output path are deliberately left out.
     */
    static String taskConfigHash(JobConfig config, ModelIdentity model, String examplesSha256) {
        Map<String, Object> shaping = new LinkedHashMap<>();
        shaping.put("recordSchema", RECORD_SCHEMA_VERSION);
        shaping.put("extraction", config.extraction());
        shaping.put("maxFileSize", config.input().maxFileSize());
        shaping.put("task", config.task());
        shaping.put("modelSha256", model == null ? null : model.sha256());
        shaping.put("chatFormat", config.model().chatFormat());
        shaping.put("seed", config.seed());
        shaping.put("examplesSha256", examplesSha256);
        return FileDigests.sha256(JobConfigLoader.canonicalJson(shaping));
    }

    /**
     * A digest of the classification examples folder (every file's relative path and bytes, in path order), so
     * that editing an example invalidates kept records like editing the job does; null without such a folder.
     */
    static String examplesSha256(JobFile job) {
        if (!(job.config().task() instanceof ClassifyOptions c) || c.examplesFolder() == null) {
            return null;
        }
        Path folder = job.resolve(c.examplesFolder());
        StringBuilder listing = new StringBuilder();
        try (var files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile)
                    .sorted((a, b) -> PathOrder.compare(folder.relativize(a).toString(), folder.relativize(b).toString()))
                    .toList()) {
                listing.append(folder.relativize(f).toString().replace('\\', '/')).append('\t')
                        .append(FileDigests.sha256(f)).append('\n');
            }
        } catch (IOException e) {
            throw job.error("task.examplesFolder", "cannot be read (" + e.getMessage() + ")");
        }
        return FileDigests.sha256(listing.toString());
    }

    /** Loads, checks and runs a job file. */
    public Outcome run(Path jobFile) throws IOException {
        return run(new JobConfigLoader().load(jobFile));
    }

}
