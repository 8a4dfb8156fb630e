package dev.lectern.pipeline.extract;

import java.util.Map;

/**
 * Keeps the parsing libraries' chatter out of the run's log. PDFBox warns about every substituted font and every
 * malformed object it repairs, POI and Tika about every oddity of a file; in a batch of thousands of documents those
 * lines bury what matters, and each document's real failure is already in its record.
 *
 * <p>Lectern logs through slf4j-simple, which reads a logger's level from a system property when the logger is
 * created (the parsers create theirs when their classes load, after this runs). A level the user set is kept.
 */
final class TikaLogging {

    private static final String PREFIX = "org.slf4j.simpleLogger.log.";
    private static final Map<String, String> LEVELS = Map.of(
            "org.apache.pdfbox", "error",
            "org.apache.fontbox", "error",
            "org.apache.poi", "error",
            "org.apache.tika", "error",
            "org.apache.commons.compress", "error");

    private TikaLogging() {
    }

    static void quiet() {
        LEVELS.forEach((logger, level) -> {
            if (System.getProperty(PREFIX + logger) == null) {
                System.setProperty(PREFIX + logger, level);
            }
        });
    }
}
