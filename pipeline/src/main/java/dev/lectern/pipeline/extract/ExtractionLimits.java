package dev.lectern.pipeline.extract;

import java.io.Serializable;
import java.time.Duration;

/**
 * What one document's extraction may cost. Built from the job config's {@code extraction} section.
 *
 * @param maxCharacters      text beyond this many characters is cut off (the record says it was truncated)
 * @param timeout            a document whose parse takes longer becomes an error record
 * @param embeddedDocuments  whether documents inside archives and emails become records of their own
 * @param maxEmbeddedDepth   how deep archives inside archives are followed: 1 = the members of the file itself, 2 =
 *                           also members of archives among them, ...; a deeper document becomes a {@code limit}
 *                           failure record
 * @param maxEmbeddedCount   how many embedded documents one file may yield; the first one beyond becomes a
 *                           {@code limit} failure record saying how many were skipped, the rest are dropped
 */
public record ExtractionLimits(long maxCharacters, Duration timeout, boolean embeddedDocuments,
                               int maxEmbeddedDepth, int maxEmbeddedCount) implements Serializable {

    public static ExtractionLimits defaults() {
        return new ExtractionLimits(1_000_000, Duration.ofSeconds(60), true, 5, 1_000);
    }
}
