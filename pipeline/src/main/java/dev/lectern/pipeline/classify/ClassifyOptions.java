package dev.lectern.pipeline.classify;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How documents are classified; the {@code task.classify} section of a job config.
 *
 * @param labels               the labels, in the order probabilities are reported (at least two)
 * @param examplesDir          optional folder with one sub-folder of example text files per label (few-shot);
 *                             null when absent. Resolved against the job file's folder by the caller
 * @param method               how labels are compared with a document
 * @param template             zero-shot prompt; {@code {label}} stands for the label's name and {@code {description}}
 *                             for its description (or its name when it has none)
 * @param temperature          softmax temperature over cosine similarities; lower is more decisive
 * @param minConfidence        below this top probability the record abstains (label null)
 * @param multiLabelThreshold  when positive, every label with at least this probability is listed in {@code labels}
 * @param k                    examples per label averaged by the {@code knn} method
 * @param maxChunks            a long document is embedded as at most this many chunks spread over it
 */
public record ClassifyOptions(List<LabelSpec> labels, String examplesDir, ClassifyMethod method, String template,
                              double temperature, double minConfidence, double multiLabelThreshold, int k,
                              int maxChunks) {

    public static final String DEFAULT_TEMPLATE = "{label}: {description}";
    public static final double DEFAULT_TEMPERATURE = 0.05;
    public static final double DEFAULT_MIN_CONFIDENCE = 0.4;
    public static final double DEFAULT_MULTI_LABEL_THRESHOLD = 0;
    public static final int DEFAULT_K = 3;
    public static final int DEFAULT_MAX_CHUNKS = 64;

    public ClassifyOptions {
        if (labels == null || labels.size() < 2) {
            throw new IllegalArgumentException("labels needs at least two labels");
        }
        labels = List.copyOf(labels);
        Set<String> names = new HashSet<>();
        for (LabelSpec label : labels) {
            if (!names.add(label.name())) {
                throw new IllegalArgumentException("label '" + label.name() + "' appears twice in labels");
            }
        }
        if (method == null) {
            method = ClassifyMethod.AUTO;
        }
        if (template == null) {
            template = DEFAULT_TEMPLATE;
        }
        if (!template.contains("{label}")) {
            throw new IllegalArgumentException("template must contain {label}, got '" + template + "'");
        }
        if (!(temperature > 0 && temperature <= 10)) {
            throw new IllegalArgumentException("temperature must be greater than 0 and at most 10, got " + temperature);
        }
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw new IllegalArgumentException("minConfidence must be between 0 and 1, got " + minConfidence);
        }
        if (!(multiLabelThreshold >= 0 && multiLabelThreshold <= 1)) {
            throw new IllegalArgumentException("multiLabelThreshold must be between 0 and 1, got " + multiLabelThreshold);
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (maxChunks < 1) {
            throw new IllegalArgumentException("maxChunks must be at least 1, got " + maxChunks);
        }
    }

    /** Zero-shot options with every default. */
    public static ClassifyOptions of(List<LabelSpec> labels) {
        return new ClassifyOptions(labels, null, ClassifyMethod.AUTO, DEFAULT_TEMPLATE, DEFAULT_TEMPERATURE,
                DEFAULT_MIN_CONFIDENCE, DEFAULT_MULTI_LABEL_THRESHOLD, DEFAULT_K, DEFAULT_MAX_CHUNKS);
    }

    public ClassifyOptions withLabels(List<LabelSpec> newLabels) {
        return new ClassifyOptions(newLabels, examplesDir, method, template, temperature, minConfidence,
                multiLabelThreshold, k, maxChunks);
    }

    public ClassifyOptions withMethod(ClassifyMethod newMethod) {
        return new ClassifyOptions(labels, examplesDir, newMethod, template, temperature, minConfidence,
                multiLabelThreshold, k, maxChunks);
    }

    /** The zero-shot prompt for a label. */
    public String prompt(LabelSpec label) {
        String description = label.description() == null ? label.name() : label.description();
        return template.replace("{label}", label.name()).replace("{description}", description);
    }

    /**
     * The method {@link ClassifyMethod#AUTO} stands for with these labels: centroid when every label has examples,
     * zero-shot when none has.
     *
     * @throws IllegalArgumentException when some labels have examples and others do not, or a few-shot method is
     *                                  asked for and a label has none
     */
    public ClassifyMethod effectiveMethod() {
        List<String> without = labels.stream().filter(l -> l.examples().isEmpty()).map(LabelSpec::name).toList();
        if (method == ClassifyMethod.ZERO_SHOT) {
            return method;
        }
        if (method == ClassifyMethod.AUTO && without.size() == labels.size()) {
            return ClassifyMethod.ZERO_SHOT;
        }
        if (!without.isEmpty()) {
            throw new IllegalArgumentException("few-shot classification needs examples for every label; "
                    + "no examples for " + String.join(", ", without)
                    + " (add examples, or set method: zero-shot to ignore them)");
        }
        return method == ClassifyMethod.AUTO ? ClassifyMethod.CENTROID : method;
    }
}
