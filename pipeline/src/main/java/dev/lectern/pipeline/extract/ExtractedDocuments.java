package dev.lectern.pipeline.extract;

import java.util.Arrays;

import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.EmptyParser;

/** Builds {@link ExtractedDocument}s from what a parse left behind. */
final class ExtractedDocuments {

    private static final String EMPTY_PARSER = EmptyParser.class.getName();

    private ExtractedDocuments() {
    }

    static ExtractedDocument failed(String path, String parentPath, String contentType, ExtractionFailure failure) {
        return new ExtractedDocument(path, parentPath, contentType, null, null, false, failure);
    }

    /**
     * @param failure what the parse threw, or null; reaching the character limit is not a failure
     */
    static ExtractedDocument fromParse(String path, String parentPath, Metadata metadata, TextCollector text,
                                       Throwable failure) {
        String contentType = MetadataReader.contentType(metadata.get(Metadata.CONTENT_TYPE));
        if (failure != null && !stoppedAtLimit(failure)) {
            return failed(path, parentPath, contentType, FailureClassifier.classify(failure, path, contentType));
        }
        if (text.characterCount() == 0 && parsedOnlyByEmptyParser(metadata)) {
            return failed(path, parentPath, contentType, FailureClassifier.unsupported(path, contentType));
        }
        return new ExtractedDocument(path, parentPath, contentType,
                MetadataReader.read(metadata, text.characterCount()), text.text(), text.truncated(), null);
    }

    private static boolean stoppedAtLimit(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TextCollector.TextLimitReached) {
                return true;
            }
        }
        return false;
    }

    /** Tika found no parser for the type: it fell back to the parser that reads nothing. */
    private static boolean parsedOnlyByEmptyParser(Metadata metadata) {
        String[] parsedBy = metadata.getValues(TikaCoreProperties.TIKA_PARSED_BY);
        return parsedBy.length > 0 && Arrays.stream(parsedBy)
                .allMatch(name -> name.equals(EMPTY_PARSER) || name.endsWith("DefaultParser"));
    }
}
