package dev.lectern.pipeline.beam;

import dev.lectern.pipeline.extract.DocumentExtractor;
import dev.lectern.pipeline.extract.ExtractionLimits;

import java.io.Serializable;

/** Makes the extractor each worker uses (one per DoFn instance: an extractor holds a parser and is not shared). */
@FunctionalInterface
public interface ExtractorFactory extends Serializable {

    DocumentExtractor create(ExtractionLimits limits);
}
