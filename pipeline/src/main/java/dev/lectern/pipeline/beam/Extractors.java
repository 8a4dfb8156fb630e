package dev.lectern.pipeline.beam;

import dev.lectern.pipeline.extract.TikaDocumentExtractor;

/** The extractors the product uses. */
public final class Extractors {

    private Extractors() {
    }

    /** Tika's AutoDetectParser with the job's limits: one per worker. */
    public static ExtractorFactory tika() {
        return TikaDocumentExtractor::new;
    }
}
