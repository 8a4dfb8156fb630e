package dev.lectern.pipeline.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which Beam runner executes the job. */
public enum RunnerKind {
    /** Beam's DirectRunner, in this JVM. */
    DIRECT,
    /** Beam's FlinkRunner on an embedded local Flink cluster ({@code --flinkMaster=[local]}). */
    FLINK;

    @JsonValue
    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
