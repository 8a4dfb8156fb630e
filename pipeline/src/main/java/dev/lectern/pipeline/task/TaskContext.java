package dev.lectern.pipeline.task;

import dev.lectern.pipeline.config.TaskOptions;
import dev.lectern.pipeline.model.ModelSpec;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * Everything a task factory may use to build a task. Serializable: it travels inside the Beam DoFn to every worker.
 *
 * @param options  the job's {@code task} section (cast it to the factory's options type)
 * @param model    the job's model
 * @param jobDir   the job file's folder, against which relative paths in the options resolve
 * @param seed     the job seed
 * @param workers  how many workers run the job (for sizing an inference queue)
 */
public record TaskContext(TaskOptions options, ModelSpec model, String jobDir, long seed, int workers)
        implements Serializable {

    public <O extends TaskOptions> O options(Class<O> type) {
        return type.cast(options);
    }

    public Path resolve(String path) {
        return Path.of(jobDir).resolve(path).normalize();
    }
}
