package dev.lectern.pipeline.extract;

import java.io.Serializable;

/**
 * The metadata Lectern records for a document. Absent values are null. Dates are ISO-8601 strings as Tika gives them.
 *
 * @param title          the document's own title (PDF info, DOCX core properties, HTML {@code <title>}, mail subject)
 * @param author         its author(s), several joined with {@code "; "} (a mail's sender)
 * @param pageCount      pages, for the formats that have them
 * @param language       ISO 639-1 code ({@code en}, {@code fr}) guessed from the text by Tika's OpenNLP detector,
 *                       or null when the text is too short or the guess is not confident
 * @param characterCount number of characters of extracted text (whitespace tidied: one blank line between
 *                       paragraphs, no trailing blanks); when the text was truncated this equals the limit, since
 *                       extraction stops there
 */
public record DocumentMetadata(String title, String author, String created, String modified, Integer pageCount,
                               String language, long characterCount) implements Serializable {
}
