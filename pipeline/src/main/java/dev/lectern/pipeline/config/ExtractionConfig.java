package dev.lectern.pipeline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.lectern.pipeline.extract.ExtractionLimits;

import java.io.Serializable;

/**
 * The {@code extraction} section: limits for one document's text extraction.
 *
 * @param maxCharacters      text beyond this is cut (the record says so)
 * @param timeout            a document whose extraction takes longer becomes an error record
 * @param embeddedDocuments  whether archive members and attachments become records of their own
 * @param maxEmbeddedDepth   how deep nested archives are followed
 * @param maxEmbeddedCount   how many embedded documents one file may yield
 */
@JsonPropertyOrder({"maxCharacters", "timeout", "embeddedDocuments", "maxEmbeddedDepth", "maxEmbeddedCount"})
public record ExtractionConfig(
        @JsonProperty("maxCharacters") Long maxCharacters,
        @JsonProperty("timeout") DurationValue timeout,
        @JsonProperty("embeddedDocuments") Boolean embeddedDocuments,
        @JsonProperty("maxEmbeddedDepth") Integer maxEmbeddedDepth,
        @JsonProperty("maxEmbeddedCount") Integer maxEmbeddedCount) implements Serializable {

    public ExtractionConfig {
        ExtractionLimits d = ExtractionLimits.defaults();
        maxCharacters = maxCharacters == null ? d.maxCharacters() : maxCharacters;
        timeout = timeout == null ? DurationValue.of(d.timeout()) : timeout;
        embeddedDocuments = embeddedDocuments == null ? d.embeddedDocuments() : embeddedDocuments;
        maxEmbeddedDepth = maxEmbeddedDepth == null ? d.maxEmbeddedDepth() : maxEmbeddedDepth;
        maxEmbeddedCount = maxEmbeddedCount == null ? d.maxEmbeddedCount() : maxEmbeddedCount;
    }

    public static ExtractionConfig defaults() {
        return new ExtractionConfig(null, null, null, null, null);
    }

    public ExtractionLimits toLimits() {
        return new ExtractionLimits(maxCharacters, timeout.duration(), embeddedDocuments, maxEmbeddedDepth,
                maxEmbeddedCount);
    }
}
