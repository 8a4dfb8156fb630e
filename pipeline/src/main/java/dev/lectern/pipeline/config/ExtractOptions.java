package dev.lectern.pipeline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * {@code type: extract}: metadata and text statistics for every document.
 *
 * @param includeText whether the extracted text itself goes into each record ({@code result.text})
 */
@JsonPropertyOrder({"type", "includeText"})
public record ExtractOptions(
        @JsonProperty(value = "type", required = true) String type,
        @JsonProperty("includeText") Boolean includeText) implements TaskOptions {

    public static final String TYPE = "extract";

    public ExtractOptions {
        includeText = includeText == null ? Boolean.FALSE : includeText;
    }
}
