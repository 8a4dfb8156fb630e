package dev.lectern.pipeline.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Why a record has {@code status: error}.
 *
 * @param stage   where it failed: {@code input} (listing, reading, size limit), {@code extract}, the task's name or
 *                {@code infer}, {@code internal}
 * @param type    a stable machine-readable kind ({@code corrupt}, {@code timeout}, {@code too-large}, ...)
 * @param message a sentence for a human
 */
@JsonPropertyOrder({"stage", "type", "message"})
public record RecordError(String stage, String type, String message) {
}
