package dev.lectern.pipeline.beam;

import dev.lectern.pipeline.extract.DocumentExtractor;
import dev.lectern.pipeline.output.RecordGroup;
import dev.lectern.pipeline.progress.RunCounters;
import dev.lectern.pipeline.resume.Journal;
import dev.lectern.pipeline.task.DocumentTask;
import dev.lectern.pipeline.task.TaskRegistry;
import org.apache.beam.sdk.transforms.DoFn;

import java.nio.file.Path;

/**
 * The pipeline's work step and sink: processes one input file and appends its records to this JVM's journal.
 * Records are not passed downstream, so no PCollection ever holds documents' text or all records (the
 * DirectRunner keeps PCollections in memory); the journal is sorted into the results file after the pipeline.
 * A worker's extractor and task are made once per DoFn instance; the task's model is shared JVM-wide.
 */
final class ProcessFileFn extends DoFn<InputFile, Void> {

    private final RunSpec spec;
    private transient DocumentExtractor extractor;
    private transient DocumentTask task;
    private transient FileProcessor processor;
    private transient Journal journal;
    private transient RunCounters counters;

    ProcessFileFn(RunSpec spec) {
        this.spec = spec;
    }

    @Setup
    public void setup() {
        extractor = spec.extractors().create(spec.extraction().toLimits());
        task = TaskRegistry.find(spec.taskType(), spec.task().model())
                .orElseThrow(() -> new IllegalStateException("no task '" + spec.taskType() + "' in this build"))
                .create(spec.task());
        processor = new FileProcessor(spec, extractor, task);
        journal = Journal.forRun(Path.of(spec.workDir()), spec.stamp());
        counters = RunCounters.of(spec.runId());
    }

    @ProcessElement
    public void process(@Element InputFile file) {
        RecordGroup group = processor.process(file);
        if (group == null) {
            counters.fileDone(0, true);
            return;
        }
        journal.append(group);
        counters.fileDone(group.records().size() - (int) group.records().stream()
                .filter(r -> "ok".equals(r.path("status").asText())).count(), false);
    }

    @Teardown
    public void teardown() {
        if (task != null) {
            task.close();
        }
        if (extractor != null) {
            extractor.close();
        }
    }
}
