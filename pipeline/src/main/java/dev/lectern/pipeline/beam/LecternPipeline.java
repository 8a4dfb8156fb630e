package dev.lectern.pipeline.beam;

import dev.lectern.pipeline.config.RunnerKind;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.TypeDescriptors;

import java.util.List;

/**
 * The Beam pipeline: listed input files → spread over the workers by shard key → extract, run the task and journal
 * each file's records. The same pipeline runs on the DirectRunner (default) and on an embedded local Flink cluster.
 */
public final class LecternPipeline {

    private LecternPipeline() {
    }

    /**
     * Files are spread over {@code workers × 8} shard keys: enough for every worker to stay busy, few enough that
     * the DirectRunner's per-key bookkeeping stays small (a random key per file costs kilobytes per file).
     */
    private static final int SHARDS_PER_WORKER = 8;

    public static Pipeline build(PipelineOptions options, List<InputFile> files, RunSpec spec, int workers) {
        Pipeline pipeline = Pipeline.create(options);
        int shards = Math.max(1, workers * SHARDS_PER_WORKER);
        pipeline.apply("List input files", Create.of(files).withCoder(SerializableCoder.of(InputFile.class)))
                .apply("Assign shards", WithKeys.of((InputFile f) -> Math.floorMod(f.relativePath().hashCode(), shards))
                        .withKeyType(TypeDescriptors.integers()))
                .apply("Spread over workers", Reshuffle.of())
                .apply("Drop shard keys", Values.create())
                .apply("Extract, run task, journal", ParDo.of(new ProcessFileFn(spec)));
        return pipeline;
    }

    /** Runs to completion; a failure of the pipeline itself (not of a document) is thrown. */
    public static void run(List<InputFile> files, RunSpec spec, RunnerKind runner, int workers) {
        PipelineResult result = build(options(runner, workers), files, spec, workers).run();
        result.waitUntilFinish();
    }

    static PipelineOptions options(RunnerKind runner, int workers) {
        if (runner == RunnerKind.FLINK) {
            FlinkPipelineOptions flink = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
            flink.setRunner(FlinkRunner.class);
            flink.setFlinkMaster("[local]");
            flink.setParallelism(workers);
            flink.setStreaming(false);
            return flink;
        }
        DirectOptions direct = PipelineOptionsFactory.as(DirectOptions.class);
        direct.setRunner(DirectRunner.class);
        direct.setTargetParallelism(workers);
        direct.setBlockOnRun(true);
        return direct;
    }
}
