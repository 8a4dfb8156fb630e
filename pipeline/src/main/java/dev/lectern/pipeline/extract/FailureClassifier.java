package dev.lectern.pipeline.extract;

import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaMemoryLimitException;
import org.apache.tika.exception.UnsupportedFormatException;
import org.apache.tika.exception.ZeroByteFileException;

/**
 * Turns what a parse threw into an {@link ExtractionFailure}: a stable type and one sentence naming the document and
 * what failed, built from the exception chain's messages (never a stack trace).
 */
final class FailureClassifier {

    static final String CORRUPT = "corrupt";
    static final String ENCRYPTED = "encrypted";
    static final String TIMEOUT = "timeout";
    static final String LIMIT = "limit";
    static final String EMPTY = "empty";
    static final String UNREADABLE = "unreadable";
    static final String UNSUPPORTED = "unsupported";
    static final String INTERNAL = "internal";

    /** Encryption exceptions of the libraries under Tika, matched by name so no code depends on their jars. */
    private static final Set<String> ENCRYPTION_EXCEPTIONS = Set.of(
            "org.apache.poi.EncryptedDocumentException",
            "org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException");
    private static final String TIKA_ZIP_BOMB = "org.apache.tika.sax.SecureContentHandler$SecureSAXException";
    private static final int MAX_REASON_CHARACTERS = 400;

    private FailureClassifier() {
    }

    static ExtractionFailure classify(Throwable thrown, String path, String contentType) {
        List<Throwable> chain = chain(thrown);
        String as = contentType == null ? "" : " as " + contentType;
        for (Throwable t : chain) {
            if (t instanceof EncryptedDocumentException || ENCRYPTION_EXCEPTIONS.contains(t.getClass().getName())) {
                return new ExtractionFailure(ENCRYPTED, path + ": the document is encrypted (password-protected)"
                        + " and cannot be read without its password");
            }
            if (t instanceof ParseGuard.ExpansionLimitReached) {
                return new ExtractionFailure(LIMIT, path + ": extraction stopped, " + t.getMessage());
            }
            if (t instanceof ParseGuard.ParseCancelled) {
                return new ExtractionFailure(TIMEOUT, path + ": extraction was cancelled after its deadline");
            }
            if (TIKA_ZIP_BOMB.equals(t.getClass().getName())) {
                return new ExtractionFailure(LIMIT, path + ": extraction stopped by Tika's zip-bomb guard: "
                        + oneLine(t.getMessage()));
            }
            if (t instanceof StackOverflowError) {
                return new ExtractionFailure(LIMIT, path + ": the document is nested too deeply to parse"
                        + " (the parser ran out of stack)");
            }
            if (t instanceof OutOfMemoryError || t instanceof TikaMemoryLimitException) {
                return new ExtractionFailure(LIMIT, path + ": parsing" + as + " needed more memory than allowed: "
                        + reason(chain));
            }
            if (t instanceof ZeroByteFileException) {
                return empty(path);
            }
            if (t instanceof UnsupportedFormatException) {
                return new ExtractionFailure(UNSUPPORTED, path + ": the format is not supported: " + reason(chain));
            }
            if (t instanceof AccessDeniedException) {
                return unreadable(path, "permission denied");
            }
            if (t instanceof NoSuchFileException || t instanceof FileNotFoundException) {
                return unreadable(path, "the file no longer exists (it vanished before it could be read)");
            }
        }
        return new ExtractionFailure(CORRUPT, path + ": could not be parsed" + as + ": " + reason(chain));
    }

    static ExtractionFailure empty(String path) {
        return new ExtractionFailure(EMPTY, path + ": the file is empty (0 bytes); there is nothing to extract");
    }

    static ExtractionFailure unreadable(String path, String why) {
        return new ExtractionFailure(UNREADABLE, path + ": cannot be read: " + why);
    }

    static ExtractionFailure timeout(String path, Duration timeout) {
        return new ExtractionFailure(TIMEOUT, path + ": extraction took longer than the timeout of "
                + describe(timeout) + " and was abandoned");
    }

    static ExtractionFailure unsupported(String path, String contentType) {
        return new ExtractionFailure(UNSUPPORTED, path + ": no parser for content type "
                + (contentType == null ? "(unknown)" : contentType) + "; no text could be extracted");
    }

    static ExtractionFailure internal(String path, String what, Throwable thrown) {
        return new ExtractionFailure(INTERNAL, path + ": " + what + ": " + reason(chain(thrown)));
    }

    /** The distinct messages along the cause chain, e.g. "Unable to extract PDF content; End-of-File, expected line". */
    private static String reason(List<Throwable> chain) {
        List<String> parts = new ArrayList<>();
        for (Throwable t : chain) {
            String message = t.getMessage() == null ? null : oneLine(t.getMessage());
            if (message != null && message.startsWith("TIKA-198")) {
                continue; // "Illegal IOException from <parser object>": says nothing the cause does not
            }
            String part = message == null || message.isEmpty()
                    ? t.getClass().getSimpleName()
                    : message;
            // Wrappers often repeat their cause's message, or carry "java.io.IOException: ..." as theirs: keep the
            // shortest form of each message once.
            if (parts.stream().anyMatch(p -> p.contains(part))) {
                parts.removeIf(p -> p.contains(part));
                parts.add(part);
            } else if (parts.stream().noneMatch(part::contains)) {
                parts.add(part);
            }
        }
        String joined = String.join("; ", parts);
        return joined.length() <= MAX_REASON_CHARACTERS ? joined : joined.substring(0, MAX_REASON_CHARACTERS) + "…";
    }

    private static List<Throwable> chain(Throwable thrown) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = thrown; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** One line, without object identity hashes ({@code Foo@1b2c3d}), which would differ between runs. */
    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s+", " ").replaceAll("@[0-9a-f]{4,16}\\b", "").strip();
    }

    private static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
