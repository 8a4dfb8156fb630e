package dev.lectern.pipeline.classify;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.lectern.pipeline.config.ClassifyOptions;

/**
 * How {@link DocumentClassifier} works; built from the job config's {@code task} section.
 *
 * @param labels        the labels, in the order probabilities are reported (at least two)
 * @param method        how labels are compared with a document; the few-shot methods need examples for every label
 * @param labelTemplate zero-shot prompt per label: {@code {label}} stands for the label's name and
 *                      {@code {description}} for its description (or its name when it has none); one of them
 *                      must appear
 * @param temperature   softmax temperature over cosine similarities; lower is more decisive
 * @param abstainBelow  below this top probability the classifier abstains (label null)
 * @param multiLabel    whether every label with at least {@code threshold} probability is listed
 * @param threshold     the multi-label threshold
 * @param k             examples per label averaged by {@link ClassifyMethod#KNN}
 * @param chunkTokens   a document is embedded in windows of whole sentences of at most this many tokens
 * @param maxChunks     a long document is embedded as at most this many windows spread evenly over it
 */
public record ClassifierSettings(List<Label> labels, ClassifyMethod method, String labelTemplate, double temperature,
                                 double abstainBelow, boolean multiLabel, double threshold, int k, int chunkTokens,
                                 int maxChunks) {

    /**
     * A sentence rather than a bare name: on the labelled set of the tests it scored 29/30 with and without
     * descriptions, where "{label}: {description}" scored 27/30 with descriptions.
     */
    public static final String DEFAULT_LABEL_TEMPLATE = ClassifyOptions.DEFAULT_LABEL_TEMPLATE;
    /**
     * Cosines between MiniLM embeddings of related texts differ by a few hundredths, so a temperature of 0.05 turns
     * a lead of 0.1 into odds of e² ≈ 7.
     */
    public static final double DEFAULT_TEMPERATURE = 0.05;
    public static final int DEFAULT_K = 3;
    public static final int DEFAULT_MAX_CHUNKS = 64;

    public ClassifierSettings {
        if (labels == null || labels.size() < 2) {
            throw new IllegalArgumentException("labels needs at least two labels");
        }
        labels = List.copyOf(labels);
        Set<String> names = new HashSet<>();
        for (Label label : labels) {
            if (!names.add(label.name())) {
                throw new IllegalArgumentException("label '" + label.name() + "' appears twice in labels");
            }
        }
        if (method == null) {
            throw new IllegalArgumentException("method is required");
        }
        if (method != ClassifyMethod.ZERO_SHOT) {
            List<String> without = labels.stream().filter(l -> l.examples().isEmpty()).map(Label::name).toList();
            if (!without.isEmpty()) {
                throw new IllegalArgumentException("method " + method.recordName()
                        + " needs examples for every label; no examples for " + String.join(", ", without));
            }
        }
        if (labelTemplate == null || !(labelTemplate.contains("{label}") || labelTemplate.contains("{description}"))) {
            throw new IllegalArgumentException("labelTemplate must contain {label} or {description}, got '"
                    + labelTemplate + "'");
        }
        if (!(temperature > 0 && temperature <= 10)) {
            throw new IllegalArgumentException("temperature must be greater than 0 and at most 10, got " + temperature);
        }
        if (!(abstainBelow >= 0 && abstainBelow <= 1)) {
            throw new IllegalArgumentException("abstainBelow must be between 0 and 1, got " + abstainBelow);
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be between 0 and 1, got " + threshold);
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (chunkTokens < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1 token, got " + chunkTokens);
        }
        if (maxChunks < 1) {
            throw new IllegalArgumentException("maxChunks must be at least 1, got " + maxChunks);
        }
    }

    /** Defaults for everything but the labels and the method. */
    public static ClassifierSettings of(List<Label> labels, ClassifyMethod method, int chunkTokens) {
        return new ClassifierSettings(labels, method, DEFAULT_LABEL_TEMPLATE, DEFAULT_TEMPERATURE, 0, false, 0.5,
                DEFAULT_K, chunkTokens, DEFAULT_MAX_CHUNKS);
    }

    public ClassifierSettings withMethod(ClassifyMethod newMethod) {
        return new ClassifierSettings(labels, newMethod, labelTemplate, temperature, abstainBelow, multiLabel,
                threshold, k, chunkTokens, maxChunks);
    }

    public ClassifierSettings withLabelTemplate(String template) {
        return new ClassifierSettings(labels, method, template, temperature, abstainBelow, multiLabel, threshold, k,
                chunkTokens, maxChunks);
    }

    public ClassifierSettings withDecision(double newAbstainBelow, boolean newMultiLabel, double newThreshold) {
        return new ClassifierSettings(labels, method, labelTemplate, temperature, newAbstainBelow, newMultiLabel,
                newThreshold, k, chunkTokens, maxChunks);
    }

    /** The zero-shot prompt for a label. */
    public String prompt(Label label) {
        String description = label.description() == null ? label.name() : label.description();
        return labelTemplate.replace("{label}", label.name()).replace("{description}", description);
    }
}
