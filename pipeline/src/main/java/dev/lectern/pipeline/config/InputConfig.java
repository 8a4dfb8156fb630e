package dev.lectern.pipeline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.io.Serializable;
import java.util.List;

/**
 * The {@code input} section: the folder of documents and which of its files to read.
 *
 * @param folder      the root folder; record paths are relative to it
 * @param include     glob patterns a file's relative path must match (any of them); default: every file
 * @param exclude     glob patterns that drop a file even when it is included
 * @param recursive   whether sub-folders are read
 * @param maxFileSize larger files become error records (stage {@code input}) without being read
 */
@JsonPropertyOrder({"folder", "include", "exclude", "recursive", "maxFileSize"})
public record InputConfig(
        @JsonProperty(value = "folder", required = true) String folder,
        @JsonProperty("include") List<String> include,
        @JsonProperty("exclude") List<String> exclude,
        @JsonProperty("recursive") Boolean recursive,
        @JsonProperty("maxFileSize") ByteSize maxFileSize) implements Serializable {

    public static final ByteSize DEFAULT_MAX_FILE_SIZE = ByteSize.ofBytes(100L * 1024 * 1024);

    public InputConfig {
        include = include == null || include.isEmpty() ? List.of("**") : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        recursive = recursive == null ? Boolean.TRUE : recursive;
        maxFileSize = maxFileSize == null ? DEFAULT_MAX_FILE_SIZE : maxFileSize;
    }
}
