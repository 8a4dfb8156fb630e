package dev.lectern.pipeline.classify;

import static dev.lectern.pipeline.task.RecordNumbers.fourDecimals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.lectern.pipeline.config.ChunkOptions;
import dev.lectern.pipeline.config.ClassifyOptions;
import dev.lectern.pipeline.config.LabelSpec;
import dev.lectern.pipeline.embedding.SentenceEncoders;
import dev.lectern.pipeline.embedding.Embedder;
import dev.lectern.pipeline.embedding.SentenceSplitter;
import dev.lectern.pipeline.model.FileDigests;
import dev.lectern.pipeline.model.ModelIdentity;
import dev.lectern.pipeline.model.ModelSpec;
import dev.lectern.pipeline.model.SharedModels;
import dev.lectern.pipeline.task.DocumentTask;
import dev.lectern.pipeline.task.TaskContext;
import dev.lectern.pipeline.task.TaskFactory;
import dev.lectern.pipeline.task.TaskInput;

/**
 * {@code type: classify} with a sentence encoder (the built-in model, or a GGUF {@code bert} file): zero-shot or
 * few-shot labels for each document.
 */
public final class ClassifyTask implements DocumentTask {

    /**
     * The {@code result} of a classify record. Numbers are rounded to 4 decimals.
     *
     * @param label         the most probable label, or null when abstaining
     * @param abstain       whether the top probability is below {@code abstainBelow}
     * @param confidence    the top probability
     * @param labels        with {@code multiLabel: true}: every label whose probability reaches {@code threshold},
     *                      most probable first (absent otherwise)
     * @param probabilities every label's probability (softmax of the similarities at {@code temperature})
     * @param similarities  every label's cosine similarity with the document
     * @param method        {@code zero-shot}, {@code centroid} or {@code knn}
     * @param temperature   the softmax temperature used
     * @param chunks        how many windows of the document were embedded
     */
    @JsonPropertyOrder({"label", "abstain", "confidence", "labels", "probabilities", "similarities", "method",
            "temperature", "chunks"})
    public record Result(String label, boolean abstain, double confidence,
                         @JsonInclude(JsonInclude.Include.NON_NULL) List<String> labels,
                         Map<String, Double> probabilities, Map<String, Double> similarities, String method,
                         double temperature, int chunks) {
    }

    private final DocumentClassifier classifier;

    ClassifyTask(DocumentClassifier classifier) {
        this.classifier = classifier;
    }

    /**
     * A document without text (an archive's own entry, a scan without OCR) abstains with no probabilities and no
     * chunks: there is nothing to compare with the labels, and nothing failed.
     */
    @Override
    public Result run(TaskInput input) {
        ClassifierSettings settings = classifier.settings();
        if (input.text().isBlank()) {
            return new Result(null, true, 0, settings.multiLabel() ? List.of() : null, Map.of(), Map.of(),
                    settings.method().recordName(), settings.temperature(), 0);
        }
        Classification c = classifier.classify(input.text());
        return new Result(c.label(), c.abstain(), fourDecimals(c.confidence()), c.labels(), rounded(c.probabilities()),
                rounded(c.similarities()), settings.method().recordName(), settings.temperature(), c.chunks());
    }

    private static Map<String, Double> rounded(Map<String, Double> values) {
        Map<String, Double> out = new TreeMap<>();
        values.forEach((label, value) -> out.put(label, fourDecimals(value)));
        return out;
    }

    /** Makes classify tasks for sentence encoders; the label vectors are computed once per JVM and job. */
    public static final class Factory implements TaskFactory {

        @Override
        public String type() {
            return ClassifyOptions.TYPE;
        }

        @Override
        public boolean supports(ModelSpec model) {
            return SentenceEncoders.supports(model);
        }

        @Override
        public ModelIdentity prepare(TaskContext context) {
            classifier(context);
            return SentenceEncoders.identity(context.model());
        }

        @Override
        public DocumentTask create(TaskContext context) {
            return new ClassifyTask(classifier(context));
        }

        /**
         * The classifier for this job, shared by the JVM's workers: embedding the labels' prompts or examples
         * is done once, not once per worker.
         */
        private static DocumentClassifier classifier(TaskContext context) {
            Embedder embedder = SentenceEncoders.embedder(context.model());
            ClassifierSettings settings = settings(context, embedder);
            String key = "classifier#" + SentenceEncoders.identity(context.model()).sha256() + "#"
                    + FileDigests.sha256(settings.toString());
            return SharedModels.get(key, DocumentClassifier.class,
                    () -> DocumentClassifier.create(embedder, new SentenceSplitter(), settings));
        }

        static ClassifierSettings settings(TaskContext context, Embedder embedder) {
            ClassifyOptions options = context.options(ClassifyOptions.class);
            List<Label> labels = options.labels().stream().map(Factory::label).toList();
            if (options.examplesFolder() != null) {
                labels = ExampleFolder.addExamples(labels, context.resolve(options.examplesFolder()));
            }
            ClassifyMethod method = switch (options.method()) {
                case ZERO_SHOT -> ClassifyMethod.ZERO_SHOT;
                case CENTROID -> ClassifyMethod.CENTROID;
                case KNN -> ClassifyMethod.KNN;
            };
            double temperature = options.temperature() == null
                    ? ClassifierSettings.DEFAULT_TEMPERATURE : options.temperature();
            return new ClassifierSettings(labels, method, options.labelTemplate(), temperature,
                    options.abstainBelow(), options.multiLabel(), options.threshold(), options.k(),
                    windowTokens(options.chunk(), embedder), ClassifierSettings.DEFAULT_MAX_CHUNKS);
        }

        /**
         * The model sees at most {@code embedder.maxTokens()} tokens at once, so windows are that long unless the
         * job asks for shorter ones in tokens; a size in characters does not apply to this model.
         */
        static int windowTokens(ChunkOptions chunk, Embedder embedder) {
            return chunk.unit() == ChunkOptions.Unit.TOKENS
                    ? Math.min(chunk.size(), embedder.maxTokens()) : embedder.maxTokens();
        }

        private static Label label(LabelSpec spec) {
            return new Label(spec.name(), spec.description(), spec.examples());
        }
    }
}
