package dev.lectern.pipeline.extract;

import java.nio.file.Path;
import java.util.List;

/**
 * Turns one input file into documents. One instance per worker (it holds a parser); not thread-safe.
 * Never throws for a bad document: every failure is returned as an {@link ExtractedDocument} with a failure.
 */
public interface DocumentExtractor extends AutoCloseable {

    /**
     * @param file         the file on disk
     * @param relativePath its path relative to the input root (used in records, forward slashes)
     * @return the file's own document first, then its embedded documents (when enabled) in a stable order
     */
    List<ExtractedDocument> extract(Path file, String relativePath);

    @Override
    void close();
}
