package dev.lectern.pipeline.task;

import dev.lectern.pipeline.extract.DocumentMetadata;

/**
 * What a task sees of one successfully extracted document.
 *
 * @param path          the document's record path (an embedded document's is {@code parent!/name})
 * @param sha256        hex SHA-256 of the input file the document came from
 * @param contentType   detected media type, may be null
 * @param metadata      what extraction found
 * @param text          the extracted text (cut at {@code extraction.maxCharacters})
 * @param textTruncated whether the text was cut
 * @param seed          this document's seed, derived from the job seed and the document; use it for any sampling so
 *                      that records do not depend on thread count or order
 */
public record TaskInput(String path, String sha256, String contentType, DocumentMetadata metadata, String text,
                        boolean textTruncated, long seed) {
}
