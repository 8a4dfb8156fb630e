package dev.lectern.pipeline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.io.Serializable;
import java.util.List;

/**
 * One label of a classification task.
 *
 * @param name        the label as it appears in records
 * @param description what documents with this label are about (zero-shot compares documents with it)
 * @param examples    a few example texts of this label (few-shot)
 */
@JsonPropertyOrder({"name", "description", "examples"})
public record LabelSpec(
        @JsonProperty(value = "name", required = true) String name,
        @JsonProperty("description") String description,
        @JsonProperty("examples") List<String> examples) implements Serializable {

    public LabelSpec {
        examples = examples == null ? List.of() : List.copyOf(examples);
    }
}
