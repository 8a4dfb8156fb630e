package dev.lectern.pipeline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;
import java.util.Locale;

/**
 * {@code type: classify}. With the built-in default model (a sentence encoder) documents are compared with label
 * descriptions (zero-shot) or examples (few-shot); with a GGUF language model each label's tokens are scored after
 * the prompt, so the answer is always one of the labels.
 *
 * @param labels         the label set (at least two), with optional descriptions and examples
 * @param examplesFolder a folder with one sub-folder per label name holding example text files (few-shot)
 * @param method         {@code zero-shot}, {@code centroid} or {@code knn}; default: centroid when there are
 *                       examples, zero-shot otherwise
 * @param k              neighbours for {@code knn}
 * @param temperature    softmax temperature turning scores into probabilities; absent: the task's own default
 *                       (each record states the temperature used)
 * @param abstainBelow   when the best probability is below this, the record says {@code abstain: true}
 * @param multiLabel     every label whose probability reaches {@code threshold} is assigned
 * @param threshold      the multi-label threshold
 * @param chunk          how long documents are cut before embedding or prompting
 * @param labelTemplate  built-in model, zero-shot: the text embedded for each label; {@code {label}} gets its
 *                       name and {@code {description}} its description (or its name when it has none)
 * @param promptTemplate generated: the prompt; {@code {text}} gets the document, {@code {labels}} the label list
 * @param batchSize      generated: how many sequences are scored together in one forward pass
 */
@JsonPropertyOrder({"type", "labels", "examplesFolder", "method", "k", "temperature", "abstainBelow", "multiLabel",
        "threshold", "chunk", "labelTemplate", "promptTemplate", "batchSize"})
public record ClassifyOptions(
        @JsonProperty(value = "type", required = true) String type,
        @JsonProperty(value = "labels", required = true) List<LabelSpec> labels,
        @JsonProperty("examplesFolder") String examplesFolder,
        @JsonProperty("method") Method method,
        @JsonProperty("k") Integer k,
        @JsonProperty("temperature") Double temperature,
        @JsonProperty("abstainBelow") Double abstainBelow,
        @JsonProperty("multiLabel") Boolean multiLabel,
        @JsonProperty("threshold") Double threshold,
        @JsonProperty("chunk") ChunkOptions chunk,
        @JsonProperty("labelTemplate") String labelTemplate,
        @JsonProperty("promptTemplate") String promptTemplate,
        @JsonProperty("batchSize") Integer batchSize) implements TaskOptions {

    public static final String TYPE = "classify";
    /** Chosen on the labelled set of the classification tests (see docs/job-config.md). */
    public static final String DEFAULT_LABEL_TEMPLATE = "This document is about {label}: {description}";
    public static final String DEFAULT_PROMPT =
            "Classify the document into exactly one of these categories: {labels}.\n\nDocument:\n{text}\n\nCategory:";

    public enum Method {
        ZERO_SHOT, CENTROID, KNN;

        @JsonValue
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public ClassifyOptions {
        labels = labels == null ? List.of() : List.copyOf(labels);
        boolean hasExamples = examplesFolder != null || labels.stream().anyMatch(l -> !l.examples().isEmpty());
        method = method == null ? (hasExamples ? Method.CENTROID : Method.ZERO_SHOT) : method;
        k = k == null ? 3 : k;
        abstainBelow = abstainBelow == null ? 0.0 : abstainBelow;
        multiLabel = multiLabel == null ? Boolean.FALSE : multiLabel;
        threshold = threshold == null ? 0.5 : threshold;
        chunk = chunk == null ? ChunkOptions.defaults() : chunk;
        labelTemplate = labelTemplate == null ? DEFAULT_LABEL_TEMPLATE : labelTemplate;
        promptTemplate = promptTemplate == null ? DEFAULT_PROMPT : promptTemplate;
        batchSize = batchSize == null ? 1 : batchSize;
    }
}
