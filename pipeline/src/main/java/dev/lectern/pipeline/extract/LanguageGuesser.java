package dev.lectern.pipeline.extract;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;

import org.apache.tika.langdetect.opennlp.OpenNLPDetector;
import org.apache.tika.language.detect.LanguageResult;

/**
 * Guesses a text's language with Tika's OpenNLP detector, whose model ships inside its jar (nothing is downloaded).
 * The model is loaded once per JVM by Tika; each guesser holds only its own scratch state, so it is not thread-safe.
 */
final class LanguageGuesser {

    /** The detector reads this much of a text; more only costs time. */
    private static final int SAMPLE_CHARACTERS = 10_000;
    /** Fewer letters than this say nothing reliable about a language. */
    private static final int MIN_LETTERS = 40;

    private final OpenNLPDetector detector = new OpenNLPDetector();

    /** An ISO 639-1 code such as {@code en} or {@code fr} (ISO 639-3 when there is none), or null when the text is too short or too unclear. */
    String guess(String text) {
        if (text == null) {
            return null;
        }
        String sample = text.length() > SAMPLE_CHARACTERS ? text.substring(0, SAMPLE_CHARACTERS) : text;
        if (sample.codePoints().filter(Character::isLetter).limit(MIN_LETTERS).count() < MIN_LETTERS) {
            return null;
        }
        detector.reset();
        detector.addText(sample);
        List<LanguageResult> results = detector.detectAll();
        if (results.isEmpty() || results.getFirst().isUnknown()) {
            return null;
        }
        return twoLetterCode(results.getFirst().getLanguage());
    }

    /** The model answers in ISO 639-3 ({@code eng}); records use the ISO 639-1 code ({@code en}) where one exists. */
    private static String twoLetterCode(String code) {
        return TWO_LETTER_CODES.getOrDefault(code, code);
    }

    private static final Map<String, String> TWO_LETTER_CODES = twoLetterCodes();

    private static Map<String, String> twoLetterCodes() {
        Map<String, String> codes = new HashMap<>();
        for (String twoLetters : Locale.getISOLanguages()) {
            try {
                codes.putIfAbsent(Locale.of(twoLetters).getISO3Language(), twoLetters);
            } catch (MissingResourceException e) {
                // a language without a three-letter code keeps none
            }
        }
        return Map.copyOf(codes);
    }
}
