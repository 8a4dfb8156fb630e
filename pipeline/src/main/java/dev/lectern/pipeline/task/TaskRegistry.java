package dev.lectern.pipeline.task;

import dev.lectern.pipeline.classify.ClassifyTask;
import dev.lectern.pipeline.llm.LlmClassifyTask;
import dev.lectern.pipeline.llm.LlmSummarizeTask;
import dev.lectern.pipeline.model.ModelSpec;
import dev.lectern.pipeline.summarize.SummarizeTask;

import java.util.List;
import java.util.Optional;

/**
 * Every task Lectern can run: the one place a new task is added. A job's {@code task.type} and model pick the
 * first factory of that type that supports the model.
 */
public final class TaskRegistry {

    private static final List<TaskFactory> FACTORIES = List.of(
            new ExtractTask.Factory(),
            new SummarizeTask.Factory(),
            new ClassifyTask.Factory(),
            new LlmSummarizeTask.Factory(),
            new LlmClassifyTask.Factory());

    private TaskRegistry() {
    }

    public static Optional<TaskFactory> find(String type, ModelSpec model) {
        return FACTORIES.stream().filter(f -> f.type().equals(type) && f.supports(model)).findFirst();
    }

    /** The task types this build can run with {@code model} (for error messages). */
    public static List<String> typesFor(ModelSpec model) {
        return FACTORIES.stream().filter(f -> f.supports(model)).map(TaskFactory::type).distinct().toList();
    }

    /** The task types this build knows at all. */
    public static List<String> types() {
        return FACTORIES.stream().map(TaskFactory::type).distinct().toList();
    }
}
