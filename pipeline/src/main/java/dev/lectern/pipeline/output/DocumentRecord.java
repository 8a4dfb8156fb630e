package dev.lectern.pipeline.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.lectern.pipeline.extract.DocumentMetadata;
import dev.lectern.pipeline.model.ModelIdentity;

/**
 * One line of the results file. The schema is documented in {@code docs/output-schema.md}; field order is fixed.
 *
 * @param path        the document's path relative to the input folder (forward slashes); an embedded document's
 *                    is {@code parent!/name}
 * @param parent      the containing document's path, or null for an input file
 * @param sha256      hex SHA-256 of the input file's bytes; null for embedded documents and unread files
 * @param size        the input file's size in bytes; null for embedded documents
 * @param contentType detected media type, or null
 * @param metadata    what extraction found, or null when it failed
 * @param status      {@code ok} or {@code error}
 * @param error       why it failed, or null
 * @param task        the task's name
 * @param result      the task's result, or null on error
 * @param model       the model the task used, or null for a task without one
 */
@JsonPropertyOrder({"path", "parent", "sha256", "size", "contentType", "metadata", "status", "error", "task",
        "result", "model"})
public record DocumentRecord(String path, String parent, String sha256, Long size, String contentType,
                             DocumentMetadata metadata, String status, RecordError error, String task, Object result,
                             ModelIdentity model) {

    public static final String OK = "ok";
    public static final String ERROR = "error";

    public boolean ok() {
        return OK.equals(status);
    }
}
