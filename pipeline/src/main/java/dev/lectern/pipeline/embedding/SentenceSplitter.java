package dev.lectern.pipeline.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import opennlp.tools.sentdetect.SentenceDetectorME;
import opennlp.tools.sentdetect.SentenceModel;
import opennlp.tools.util.Span;

/**
 * Splits extracted text into sentences with OpenNLP's English sentence model (loaded from the classpath once per
 * JVM). Extracted text is laid out in lines, so lines are first joined into blocks: a blank line ends a block, and
 * a short line without final punctuation that is not continued in lower case and does not continue an unfinished
 * sentence (a heading, a list item, a table row) is a block of its own. Inside a block, line breaks are wrapping
 * and become spaces. Sentences ending in CJK full stops are
 * split too, which the English model does not do. Thread-safe.
 */
public final class SentenceSplitter {

    /** The model file inside {@code org.apache.opennlp:opennlp-models-sentdetect-en}. */
    static final String MODEL_RESOURCE = "/opennlp-en-ud-ewt-sentence-1.3-2.5.4.bin";

    /** A line shorter than this without final punctuation is taken as a heading or list item, not as wrapping. */
    private static final int SHORT_LINE = 60;

    private static final Pattern LINE_BREAK = Pattern.compile("\\R");
    private static final Pattern WHITESPACE = Pattern.compile("(?U)[\\s\\u200B\\uFEFF]+");
    /** Splits after a CJK sentence terminator (with any closing quotes or brackets that follow it). */
    private static final Pattern CJK_BOUNDARY = Pattern.compile("(?<=[。！？][」』）》\"”]?)(?![」』）》\"”])");

    private static final class ModelHolder {
        static final SentenceModel MODEL = load();

        private static SentenceModel load() {
            try (InputStream in = SentenceSplitter.class.getResourceAsStream(MODEL_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("OpenNLP sentence model " + MODEL_RESOURCE
                            + " is not on the classpath (dependency org.apache.opennlp:opennlp-models-sentdetect-en)");
                }
                return new SentenceModel(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read OpenNLP sentence model " + MODEL_RESOURCE, e);
            }
        }
    }

    /** @return the sentences of the text in document order, whitespace collapsed, none empty */
    public List<String> split(String text) {
        // SentenceDetectorME keeps per-call state, so each call gets its own; the model itself is shared.
        SentenceDetectorME detector = new SentenceDetectorME(ModelHolder.MODEL);
        List<String> sentences = new ArrayList<>();
        for (String block : blocks(text)) {
            for (Span span : detector.sentPosDetect(block)) {
                for (String part : CJK_BOUNDARY.split(span.getCoveredText(block))) {
                    String sentence = WHITESPACE.matcher(part).replaceAll(" ").strip();
                    if (!sentence.isEmpty()) {
                        sentences.add(sentence);
                    }
                }
            }
        }
        return sentences;
    }

    static List<String> blocks(String text) {
        String[] lines = LINE_BREAK.split(text, -1);
        List<String> blocks = new ArrayList<>();
        StringBuilder block = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String line = WHITESPACE.matcher(lines[i]).replaceAll(" ").strip();
            if (line.isEmpty()) {
                flush(block, blocks);
                continue;
            }
            String next = i + 1 < lines.length ? lines[i + 1].strip() : "";
            boolean continuedInLowerCase = !next.isEmpty() && Character.isLowerCase(next.codePointAt(0));
            boolean headingLike = line.length() < SHORT_LINE && !endsSentence(line) && !continuedInLowerCase;
            // A heading-like line stands alone only where a sentence could start; after an unfinished sentence it
            // is the short tail of a wrapped line ("... under the Late / Payment of / Commercial Debts ...").
            boolean standsAlone = headingLike && (block.isEmpty() || endsSentence(block.toString()));
            if (standsAlone) {
                flush(block, blocks);
            }
            if (!block.isEmpty()) {
                block.append(' ');
            }
            block.append(line);
            if (standsAlone) {
                flush(block, blocks);
            }
        }
        flush(block, blocks);
        return blocks;
    }

    /** Whether the line ends in final punctuation, possibly followed by closing quotes or brackets. */
    private static boolean endsSentence(String line) {
        int end = line.length();
        while (end > 0 && "\"'”’)]」』）".indexOf(line.codePointBefore(end)) >= 0) {
            end -= Character.charCount(line.codePointBefore(end));
        }
        return end > 0 && ".!?;:…。！？".indexOf(line.codePointBefore(end)) >= 0;
    }

    private static void flush(StringBuilder block, List<String> blocks) {
        if (!block.isEmpty()) {
            blocks.add(block.toString());
            block.setLength(0);
        }
    }
}
