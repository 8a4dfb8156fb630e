package dev.lectern.pipeline.extract;

import java.io.Serializable;

/**
 * One document that came out of an input file: the file itself, or a document embedded in it (an archive member,
 * an email attachment). Exactly one of {@code text} and {@code failure} is non-null.
 *
 * @param path           path relative to the input root; an embedded document's is {@code parentPath + "!/" + name},
 *                       where name is the archive member's name as stored (it may contain folders) or the
 *                       attachment's file name, e.g. {@code mail.eml!/docs.zip!/2024/notes.txt}
 * @param parentPath     the containing document's path, or null for the input file itself
 *                       (documents of archives and emails only: a picture inside a DOCX stays part of the DOCX)
 * @param contentType    detected media type (may be null when detection failed)
 * @param metadata       what Tika found (title, author, dates, pages, language, character count); null on failure
 * @param text           extracted text, or null on failure
 * @param textTruncated  true when the text was cut at {@link ExtractionLimits#maxCharacters()} (not a failure)
 * @param failure        why extraction failed, or null
 */
public record ExtractedDocument(String path, String parentPath, String contentType, DocumentMetadata metadata,
                                String text, boolean textTruncated, ExtractionFailure failure) implements Serializable {

    public boolean ok() {
        return failure == null;
    }
}
