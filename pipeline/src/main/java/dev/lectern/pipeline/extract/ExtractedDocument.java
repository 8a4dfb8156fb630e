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
 * @param sha256         an embedded document's SHA-256 (hex) of its own bytes as its container stores them
 *                       (decompressed, decoded); null for the input file itself (its caller hashes the file) and for
 *                       an embedded document that was not read to its end (a limit or a deadline stopped it)
 * @param size           an embedded document's size in bytes, under the same rule as {@code sha256}
 */
public record ExtractedDocument(String path, String parentPath, String contentType, DocumentMetadata metadata,
                                String text, boolean textTruncated, ExtractionFailure failure,
                                String sha256, Long size) implements Serializable {

    /** A document without a digest of its own: the input file, or a member that was not read to its end. */
    public ExtractedDocument(String path, String parentPath, String contentType, DocumentMetadata metadata,
                             String text, boolean textTruncated, ExtractionFailure failure) {
        this(path, parentPath, contentType, metadata, text, textTruncated, failure, null, null);
    }

    /** This document with the SHA-256 and size of its bytes. */
    public ExtractedDocument withDigest(String sha256, long size) {
        return new ExtractedDocument(path, parentPath, contentType, metadata, text, textTruncated, failure, sha256, size);
    }

    public boolean ok() {
        return failure == null;
    }
}
