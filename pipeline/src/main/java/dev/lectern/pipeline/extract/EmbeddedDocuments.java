package dev.lectern.pipeline.extract;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.apache.commons.io.input.CloseShieldInputStream;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.extractor.ParsingEmbeddedDocumentExtractor;
import org.apache.tika.io.TemporaryResources;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.sax.BodyContentHandler;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Tika calls this for every document found inside the one being parsed. Members of archives and attachments of
 * emails become documents of their own, each parsed into its own text; anything else embedded (a picture in a DOCX,
 * an attachment inside a PDF) is parsed into its container's text, as Tika does by default.
 *
 * <p>Documents are listed in the order they start (a nested archive before its members), which is the order of the
 * bytes of the file, so the same file always gives the same list. Paths chain with {@code !/}:
 * {@code mail.eml!/archive.zip!/notes.txt}.
 */
final class EmbeddedDocuments implements EmbeddedDocumentExtractor {

    /** Containers whose embedded documents are documents in their own right. */
    private static final Set<String> ARCHIVE_AND_MAIL_TYPES = Set.of(
            "application/zip", "application/x-tar", "application/gzip", "application/x-gzip", "application/x-gtar",
            "application/x-bzip", "application/x-bzip2", "application/x-xz", "application/x-lzma",
            "application/x-7z-compressed", "application/x-compress", "application/zstd", "application/x-archive",
            "application/x-cpio", "application/java-archive", "application/x-rar-compressed",
            "message/rfc822", "message/x-emlx", "application/mbox", "application/vnd.ms-outlook",
            "application/vnd.ms-outlook-pst");

    private final Parser parser;
    private final ParseContext context;
    private final ExtractionLimits limits;
    private final ParseGuard guard;
    private final EmbeddedDocumentExtractor inline;
    private final Deque<Container> containers = new ArrayDeque<>();
    private final List<ExtractedDocument> documents = new ArrayList<>();
    private int firstSkippedSlot = -1;
    private String firstSkippedPath;
    private String firstSkippedParent;
    private int skipped;

    private record Container(String path, Metadata metadata) {
    }

    EmbeddedDocuments(Parser parser, ParseContext context, ExtractionLimits limits, ParseGuard guard,
                      String rootPath, Metadata rootMetadata) {
        this.parser = parser;
        this.context = context;
        this.limits = limits;
        this.guard = guard;
        this.inline = new ParsingEmbeddedDocumentExtractor(context);
        containers.push(new Container(rootPath, rootMetadata));
    }

    @Override
    public boolean shouldParseEmbedded(Metadata metadata) {
        return true;
    }

    @Override
    public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml)
            throws SAXException, IOException {
        Container container = containers.peek();
        if (!ARCHIVE_AND_MAIL_TYPES.contains(MetadataReader.contentType(container.metadata().get(Metadata.CONTENT_TYPE)))) {
            inline.parseEmbedded(stream, handler, metadata, outputHtml);
            return;
        }
        String path = container.path() + "!/" + nameOf(metadata);
        if (documents.size() >= limits.maxEmbeddedCount()) {
            skip(path, container.path());
            return;
        }
        int slot = documents.size();
        documents.add(null);
        int depth = containers.size();
        if (depth > limits.maxEmbeddedDepth()) {
            documents.set(slot, ExtractedDocuments.failed(path, container.path(),
                    MetadataReader.contentType(metadata.get(Metadata.CONTENT_TYPE)),
                    new ExtractionFailure(FailureClassifier.LIMIT, path + ": not extracted: it is nested " + depth
                            + " levels deep, more than maxEmbeddedDepth=" + limits.maxEmbeddedDepth())));
            return;
        }
        documents.set(slot, parse(stream, metadata, path, container.path()));
    }

    private ExtractedDocument parse(InputStream stream, Metadata metadata, String path, String parentPath)
            throws SAXException {
        TextCollector text = new TextCollector(limits.maxCharacters(), guard, metadata);
        Throwable failure = null;
        MemberBytes bytes = new MemberBytes(stream);
        containers.push(new Container(path, metadata));
        try (TemporaryResources temporary = new TemporaryResources()) {
            TikaInputStream input = TikaInputStream.get(CloseShieldInputStream.wrap(bytes), temporary, metadata);
            parser.parse(input, new GuardedContentHandler(new BodyContentHandler(text), guard), metadata, context);
        } catch (Throwable t) {
            failure = t;
        } finally {
            containers.pop();
        }
        if (guard.stopReason() != null) {
            // The whole file is being stopped (deadline, zip bomb): not this member's fault, so not its record.
            throw guard.stopReason();
        }
        ExtractedDocument document = ExtractedDocuments.fromParse(path, parentPath, metadata, text, failure);
        return bytes.drain(guard, guard.expansionBound()) ? document.withDigest(bytes.sha256(), bytes.size()) : document;
    }

    private void skip(String path, String parentPath) {
        if (skipped++ == 0) {
            firstSkippedSlot = documents.size();
            firstSkippedPath = path;
            firstSkippedParent = parentPath;
            documents.add(null);
        }
    }

    /** The embedded documents found, in order; the first one beyond the count limit says how many were skipped. */
    List<ExtractedDocument> documents() {
        if (skipped > 0) {
            documents.set(firstSkippedSlot, ExtractedDocuments.failed(firstSkippedPath, firstSkippedParent, null,
                    new ExtractionFailure(FailureClassifier.LIMIT, firstSkippedPath + ": not extracted: "
                            + containers.getLast().path() + " holds more than maxEmbeddedCount="
                            + limits.maxEmbeddedCount() + " embedded documents; this one and " + (skipped - 1)
                            + " more were skipped")));
        }
        return documents.stream().filter(Objects::nonNull).toList();
    }

    /** An archive member's name as stored (it may contain folders); an attachment's file name. */
    private String nameOf(Metadata metadata) {
        String name = metadata.get(TikaCoreProperties.RESOURCE_NAME_KEY);
        if (name == null || name.isBlank()) {
            name = metadata.get(TikaCoreProperties.EMBEDDED_RELATIONSHIP_ID);
        }
        if (name == null || name.isBlank()) {
            return "embedded-" + (documents.size() + 1);
        }
        name = name.strip().replace('\\', '/');
        while (name.startsWith("/") || name.startsWith("./")) {
            name = name.substring(name.startsWith("/") ? 1 : 2);
        }
        return name.isEmpty() ? "embedded-" + (documents.size() + 1) : name;
    }
}
