package dev.lectern.pipeline.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.io.Serializable;

/**
 * The {@code task} section. Its {@code type} field selects the options class; every other field belongs to that
 * task. A new task adds its options record here (one {@code @JsonSubTypes} line) and its factory in
 * {@link dev.lectern.pipeline.task.TaskRegistry}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "type", visible = true)
@JsonSubTypes({
        @JsonSubTypes.Type(value = ExtractOptions.class, name = ExtractOptions.TYPE),
        @JsonSubTypes.Type(value = SummarizeOptions.class, name = SummarizeOptions.TYPE),
        @JsonSubTypes.Type(value = ClassifyOptions.class, name = ClassifyOptions.TYPE)})
public interface TaskOptions extends Serializable {

    /** The task's name as written in {@code type:} and in every record's {@code task} field. */
    String type();
}
