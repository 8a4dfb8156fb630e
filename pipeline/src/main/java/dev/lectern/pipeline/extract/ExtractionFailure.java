package dev.lectern.pipeline.extract;

/**
 * Why a document could not be extracted, in words for the error record.
 *
 * @param type    a stable machine-readable kind: {@code corrupt}, {@code encrypted}, {@code timeout}, {@code limit},
 *                {@code empty}, {@code unreadable}, {@code unsupported}, {@code internal}
 * @param message a human sentence naming what failed and where (no stack trace)
 */
public record ExtractionFailure(String type, String message) {
}
