package dev.lectern.pipeline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.io.Serializable;

/**
 * The {@code output} section.
 *
 * @param path the JSONL results file; the run manifest is written beside it ({@code NAME.manifest.json})
 * @param mode {@code resume} (default): keep the ok records of documents that did not change;
 *             {@code overwrite}: process every document again
 */
@JsonPropertyOrder({"path", "mode"})
public record OutputConfig(
        @JsonProperty(value = "path", required = true) String path,
        @JsonProperty("mode") OutputMode mode) implements Serializable {

    public OutputConfig {
        mode = mode == null ? OutputMode.RESUME : mode;
    }

    public OutputConfig withPath(String newPath) {
        return new OutputConfig(newPath, mode);
    }
}
