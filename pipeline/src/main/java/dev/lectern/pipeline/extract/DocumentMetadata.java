package dev.lectern.pipeline.extract;

/**
 * The metadata Lectern records for a document. Absent values are null. Dates are ISO-8601 strings as Tika gives them.
 *
 * @param characterCount number of characters of extracted text (before truncation)
 */
public record DocumentMetadata(String title, String author, String created, String modified, Integer pageCount,
                               String language, long characterCount) {
}
