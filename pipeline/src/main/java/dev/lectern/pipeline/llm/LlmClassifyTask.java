package dev.lectern.pipeline.llm;

import static dev.lectern.pipeline.task.RecordNumbers.fourDecimals;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.lectern.pipeline.config.ClassifyOptions;
import dev.lectern.pipeline.model.ModelIdentity;
import dev.lectern.pipeline.model.ModelSpec;
import dev.lectern.pipeline.task.DocumentTask;
import dev.lectern.pipeline.task.TaskContext;
import dev.lectern.pipeline.task.TaskFactory;
import dev.lectern.pipeline.task.TaskFailure;
import dev.lectern.pipeline.task.TaskInput;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code type: classify} with a GGUF language model: every label scored by likelihood, the answer always a label. */
public final class LlmClassifyTask implements DocumentTask {

    /** The record's {@code method}. */
    public static final String METHOD = "llm-likelihood";

    /**
     * The {@code result} of an LLM classify record. Numbers are rounded to 4 decimals.
     *
     * @param label            the most probable label (always one of the configured labels), or null when abstaining
     * @param abstain          whether the top probability is below {@code abstainBelow}
     * @param confidence       the top probability
     * @param labels           with {@code multiLabel: true}: every label whose probability reaches {@code threshold},
     *                         most probable first (absent otherwise)
     * @param probabilities    every label's probability: softmax over the labels of logLikelihood / temperature
     * @param logLikelihoods   every label's summed token log-probability after the prompt (natural log, not
     *                         length-normalized)
     * @param method           {@code llm-likelihood}
     * @param temperature      the softmax temperature used
     * @param promptTokens     tokens of the prompt the labels were scored after
     * @param textTruncated    whether only the document's opening fit in the prompt
     * @param chatFormat       the chat format the prompt was written in
     */
    @JsonPropertyOrder({"label", "abstain", "confidence", "labels", "probabilities", "logLikelihoods", "method",
            "temperature", "promptTokens", "textTruncated", "chatFormat"})
    public record Result(String label, boolean abstain, double confidence,
                         @JsonInclude(JsonInclude.Include.NON_NULL) List<String> labels,
                         Map<String, Double> probabilities, Map<String, Double> logLikelihoods, String method,
                         double temperature, int promptTokens, boolean textTruncated, String chatFormat) {
    }

    /** Softmax temperature when the job sets none: the model's own probabilities, renormalized over the labels. */
    static final double DEFAULT_TEMPERATURE = 1.0;

    private final LlmClassifier classifier;
    private final ClassifyOptions options;
    private final String chatFormat;

    LlmClassifyTask(LlmClassifier classifier, ClassifyOptions options, String chatFormat) {
        this.classifier = classifier;
        this.options = options;
        this.chatFormat = chatFormat;
    }

    @Override
    public Result run(TaskInput input) throws TaskFailure {
        List<String> names = classifier.labelNames();
        double temperature = options.temperature() == null ? DEFAULT_TEMPERATURE : options.temperature();
        LlmClassifier.Scores scores = classifier.score(input.text());
        double[] p = LlmClassifier.probabilities(scores.logLikelihoods(), temperature);
        int best = 0;
        for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
        boolean abstain = p[best] < options.abstainBelow();
        Map<String, Double> probabilities = new LinkedHashMap<>();
        Map<String, Double> logLikelihoods = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            probabilities.put(names.get(i), fourDecimals(p[i]));
            logLikelihoods.put(names.get(i), fourDecimals(scores.logLikelihoods()[i]));
        }
        List<String> multi = options.multiLabel()
                ? LlmClassifier.above(p, options.threshold()).stream().map(names::get).toList()
                : null;
        return new Result(abstain ? null : names.get(best), abstain, fourDecimals(p[best]), multi, probabilities,
                logLikelihoods, METHOD, temperature, scores.promptTokens(), scores.textTruncated(), chatFormat);
    }

    /** Picked for {@code classify} when {@code model.path} is a GGUF file. */
    public static final class Factory implements TaskFactory {
        @Override
        public String type() {
            return ClassifyOptions.TYPE;
        }

        @Override
        public boolean supports(ModelSpec model) {
            return LanguageModel.supports(model);
        }

        @Override
        public ModelIdentity prepare(TaskContext context) {
            ClassifyOptions options = context.options(ClassifyOptions.class);
            if (options.method() != ClassifyOptions.Method.ZERO_SHOT || options.examplesFolder() != null) {
                throw new IllegalArgumentException("task.method: a GGUF language model classifies by label likelihood;"
                        + " examples and the centroid/knn methods need the built-in model (remove model.path or the examples)");
            }
            LanguageModel model = LanguageModel.shared(context.model());
            new LlmClassifier(model, options);
            return model.identity();
        }

        @Override
        public DocumentTask create(TaskContext context) {
            LanguageModel model = LanguageModel.shared(context.model());
            ClassifyOptions options = context.options(ClassifyOptions.class);
            return new LlmClassifyTask(new LlmClassifier(model, options), options, model.chatFormatName());
        }
    }
}
