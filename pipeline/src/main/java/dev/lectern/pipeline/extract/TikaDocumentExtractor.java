package dev.lectern.pipeline.extract;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.AutoDetectParserConfig;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.sax.BodyContentHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts text and metadata with Tika's {@link AutoDetectParser}; one instance per worker, created once (creating
 * the parser loads every Tika parser and costs about a second).
 *
 * <p>Each file is parsed on a worker thread with a deadline ({@link ExtractionLimits#timeout()}); a parse that
 * overruns is abandoned along with its thread, and the parser is recreated in case the stuck parse left it in a bad
 * state. Text beyond {@link ExtractionLimits#maxCharacters()} is cut off and flagged. A file that expands far beyond
 * its size (zip bomb) is stopped. Every problem becomes a failure record; {@link #extract} never throws.
 */
public final class TikaDocumentExtractor implements DocumentExtractor {

    private static final Logger LOG = LoggerFactory.getLogger(TikaDocumentExtractor.class);

    private final ExtractionLimits limits;
    private final Supplier<Parser> parserFactory;
    private final DeadlineRunner runner = new DeadlineRunner();
    private final LanguageGuesser languages = new LanguageGuesser();
    private Parser parser;

    public TikaDocumentExtractor(ExtractionLimits limits) {
        this(limits, () -> autoDetectParser(limits));
    }

    /**
     * Tika's parser, with archives read into their container's text (embedded documents off) followed no deeper than
     * {@link ExtractionLimits#maxEmbeddedDepth()}, like archives whose members are documents of their own.
     */
    private static Parser autoDetectParser(ExtractionLimits limits) {
        AutoDetectParser parser = new AutoDetectParser();
        AutoDetectParserConfig config = new AutoDetectParserConfig();
        config.setMaximumPackageEntryDepth(limits.maxEmbeddedDepth() + 1); // Tika counts the file itself
        parser.setAutoDetectParserConfig(config);
        return parser;
    }

    /** For tests: a parser that misbehaves on purpose (sleeps, throws) in place of Tika's. */
    TikaDocumentExtractor(ExtractionLimits limits, Supplier<Parser> parserFactory) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.parserFactory = parserFactory;
        TikaLogging.quiet();
        this.parser = parserFactory.get();
    }

    @Override
    public List<ExtractedDocument> extract(Path file, String relativePath) {
        try {
            ExtractedDocument unfit = checkFile(file, relativePath);
            if (unfit != null) {
                return List.of(unfit);
            }
            return withLanguages(parseWithDeadline(file, relativePath));
        } catch (RuntimeException e) {
            LOG.error("Extraction of {} failed unexpectedly", relativePath, e);
            return List.of(ExtractedDocuments.failed(relativePath, null, null,
                    FailureClassifier.internal(relativePath, "extraction failed unexpectedly", e)));
        }
    }

    /** A failure record when the path is not a readable, non-empty regular file; null when it may be parsed. */
    private static ExtractedDocument checkFile(Path file, String relativePath) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return failed(relativePath, FailureClassifier.unreadable(relativePath,
                    "the file no longer exists (it vanished before it could be read)"));
        } catch (IOException e) {
            return failed(relativePath, FailureClassifier.unreadable(relativePath, describe(e)));
        }
        if (attributes.isDirectory()) {
            return failed(relativePath, FailureClassifier.unreadable(relativePath, "it is a directory, not a file"));
        }
        if (!attributes.isRegularFile()) {
            // A FIFO or device would block the parse forever or never end.
            return failed(relativePath, FailureClassifier.unreadable(relativePath,
                    "it is not a regular file (a device, pipe or socket)"));
        }
        if (attributes.size() == 0) {
            return failed(relativePath, FailureClassifier.empty(relativePath));
        }
        try (var channel = Files.newByteChannel(file)) {
            return null;
        } catch (NoSuchFileException e) {
            return failed(relativePath, FailureClassifier.unreadable(relativePath,
                    "the file no longer exists (it vanished before it could be read)"));
        } catch (IOException e) {
            return failed(relativePath, FailureClassifier.unreadable(relativePath, describe(e)));
        }
    }

    private List<ExtractedDocument> parseWithDeadline(Path file, String relativePath) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            return List.of(failed(relativePath, FailureClassifier.unreadable(relativePath, describe(e))));
        }
        ParseGuard guard = new ParseGuard(size);
        Metadata metadata = new Metadata();
        TextCollector text = new TextCollector(limits.maxCharacters(), guard, metadata);
        Parser current = parser;
        try {
            return runner.call(() -> parse(current, file, relativePath, guard, metadata, text), limits.timeout());
        } catch (TimeoutException e) {
            guard.cancel();
            LOG.warn("Gave up on {} after {} ms: its parse was abandoned and the parser recreated", relativePath,
                    limits.timeout().toMillis());
            parser = parserFactory.get();
            return List.of(ExtractedDocuments.failed(relativePath, null, MetadataReader.contentType(text.contentType()),
                    FailureClassifier.timeout(relativePath, limits.timeout())));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return List.of(failed(relativePath, FailureClassifier.internal(relativePath, "extraction failed", cause)));
        } catch (InterruptedException e) {
            guard.cancel();
            Thread.currentThread().interrupt();
            parser = parserFactory.get();
            return List.of(failed(relativePath, new ExtractionFailure(FailureClassifier.INTERNAL,
                    relativePath + ": extraction was interrupted (the run is stopping)")));
        }
    }

    /** Runs on the worker thread: the file's own document, then its embedded documents. */
    private List<ExtractedDocument> parse(Parser parser, Path file, String relativePath, ParseGuard guard,
                                          Metadata metadata, TextCollector text) {
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, file.getFileName().toString());
        ParseContext context = new ParseContext();
        context.set(Parser.class, parser);
        EmbeddedDocuments embedded = null;
        if (limits.embeddedDocuments()) {
            embedded = new EmbeddedDocuments(parser, context, limits, guard, relativePath, metadata);
            context.set(EmbeddedDocumentExtractor.class, embedded);
        }
        Throwable failure = null;
        try (TikaInputStream input = TikaInputStream.get(file, metadata)) {
            parser.parse(input, new GuardedContentHandler(new BodyContentHandler(text), guard), metadata, context);
        } catch (Throwable t) {
            failure = t;
        }
        if (guard.stopReason() != null) {
            failure = guard.stopReason();
        }
        ExtractedDocument own = ExtractedDocuments.fromParse(relativePath, null, metadata, text, failure);
        if (embedded == null || guard.stopReason() != null) {
            // A stopped file's members are part of what stopped it: only the file's record says what happened.
            return List.of(own);
        }
        List<ExtractedDocument> documents = new ArrayList<>();
        documents.add(own);
        documents.addAll(embedded.documents());
        return documents;
    }

    private List<ExtractedDocument> withLanguages(List<ExtractedDocument> documents) {
        List<ExtractedDocument> result = new ArrayList<>(documents.size());
        for (ExtractedDocument document : documents) {
            DocumentMetadata m = document.metadata();
            if (m == null || document.text() == null) {
                result.add(document);
                continue;
            }
            DocumentMetadata withLanguage = new DocumentMetadata(m.title(), m.author(), m.created(), m.modified(),
                    m.pageCount(), languages.guess(document.text()), m.characterCount());
            result.add(new ExtractedDocument(document.path(), document.parentPath(), document.contentType(),
                    withLanguage, document.text(), document.textTruncated(), document.failure(),
                    document.sha256(), document.size()));
        }
        return result;
    }

    private static ExtractedDocument failed(String relativePath, ExtractionFailure failure) {
        return ExtractedDocuments.failed(relativePath, null, null, failure);
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void close() {
        runner.close();
    }
}
