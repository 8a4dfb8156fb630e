package dev.lectern.pipeline.beam;

import dev.lectern.pipeline.config.ExtractionConfig;
import dev.lectern.pipeline.model.ModelIdentity;
import dev.lectern.pipeline.task.TaskContext;

import java.io.Serializable;

/**
 * What every worker needs to process files, fixed before the pipeline starts. Serializable: Beam ships it inside
 * the DoFn.
 *
 * @param runId            names this run's progress counters
 * @param workDir          the work folder that holds the journals
 * @param stamp            this run's stamp in journal names
 * @param extraction       extraction limits
 * @param maxFileSize      larger files are not read
 * @param task             the task's options and model, for {@link dev.lectern.pipeline.task.TaskFactory#create}
 * @param taskConfigHash   hash of everything that shapes the records
 * @param model            the model records name, or null
 * @param extractors       makes each worker's extractor
 */
public record RunSpec(String runId, String workDir, String stamp, ExtractionConfig extraction, long maxFileSize,
                      TaskContext task, String taskConfigHash, ModelIdentity model, ExtractorFactory extractors)
        implements Serializable {

    public String taskType() {
        return task.options().type();
    }
}
