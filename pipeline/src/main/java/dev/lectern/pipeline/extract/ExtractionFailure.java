package dev.lectern.pipeline.extract;

import java.io.Serializable;

/**
 * Why a document could not be extracted, in words for the error record.
 *
 * @param type    a stable machine-readable kind:
 *                {@code corrupt} (the parser failed on the content), {@code encrypted} (password-protected),
 *                {@code timeout} (parsing overran {@link ExtractionLimits#timeout()}), {@code limit} (zip bomb,
 *                nesting deeper than allowed, too many embedded documents, out of memory or stack),
 *                {@code empty} (zero bytes), {@code unreadable} (missing, vanished, no permission, a directory or
 *                special file), {@code unsupported} (no parser for the content type), {@code internal}
 *                (Lectern's own fault, or the run is stopping)
 * @param message a human sentence naming what failed and where (no stack trace)
 */
public record ExtractionFailure(String type, String message) implements Serializable {
}
