package dev.lectern.pipeline.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a run does with the results of an earlier run of the same job. */
public enum OutputMode {
    /** Keep ok records whose document and task configuration did not change; process the rest. */
    RESUME,
    /** Process every document again. */
    OVERWRITE;

    @JsonValue
    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
