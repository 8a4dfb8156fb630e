package dev.lectern.pipeline.classify;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How labels are compared with a document. */
public enum ClassifyMethod {
    /** Few-shot when every label has examples, zero-shot when none has. */
    AUTO("auto"),
    /** Each label's prompt (template filled with its name and description) against the document. */
    ZERO_SHOT("zero-shot"),
    /** Each label's centroid of example embeddings against the document. */
    CENTROID("centroid"),
    /** Each label's score is the mean similarity of its k examples nearest to the document. */
    KNN("knn");

    private final String configName;

    ClassifyMethod(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static ClassifyMethod parse(String value) {
        for (ClassifyMethod method : values()) {
            if (method.configName.equals(value.toLowerCase(Locale.ROOT))) {
                return method;
            }
        }
        throw new IllegalArgumentException("method must be one of "
                + Arrays.stream(values()).map(ClassifyMethod::configName).collect(Collectors.joining(", "))
                + ", got '" + value + "'");
    }
}
