package dev.lectern.pipeline.extract;

/**
 * One document that came out of an input file: the file itself, or a document embedded in it (an archive member,
 * an email attachment). Exactly one of {@code text} and {@code failure} is non-null.
 *
 * @param path           path relative to the input root; an embedded document's is {@code parentPath + "!/" + name}
 * @param parentPath     the containing document's path, or null for the input file itself
 * @param contentType    detected media type (may be null when detection failed)
 * @param metadata       what Tika found (title, author, dates, pages, language, character count)
 * @param text           extracted text, or null on failure
 * @param textTruncated  true when the text was cut at {@link ExtractionLimits#maxCharacters()}
 * @param failure        why extraction failed, or null
 */
public record ExtractedDocument(String path, String parentPath, String contentType, DocumentMetadata metadata,
                                String text, boolean textTruncated, ExtractionFailure failure) {

    public boolean ok() {
        return failure == null;
    }
}
