package dev.lectern.pipeline.task;

/**
 * Counts over a text, in one pass.
 *
 * @param characters Unicode code points
 * @param words      maximal runs of letters or digits
 * @param lines      line breaks plus one for a non-empty text (a trailing break does not open a new line)
 * @param paragraphs blocks of lines holding something other than white space
 */
public record TextStatistics(long characters, long words, long lines, long paragraphs) {

    public static TextStatistics of(String text) {
        long characters = 0;
        long words = 0;
        long lines = 0;
        long paragraphs = 0;
        boolean inWord = false;
        boolean lineHasContent = false;
        boolean inParagraph = false;
        boolean lineOpen = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            characters++;
            if (cp == '\n') {
                lines++;
                lineOpen = false;
                if (!lineHasContent) {
                    inParagraph = false;
                }
                lineHasContent = false;
                inWord = false;
                continue;
            }
            lineOpen = true;
            boolean wordChar = Character.isLetterOrDigit(cp);
            if (wordChar && !inWord) {
                words++;
            }
            inWord = wordChar;
            if (!Character.isWhitespace(cp)) {
                lineHasContent = true;
                if (!inParagraph) {
                    paragraphs++;
                    inParagraph = true;
                }
            }
        }
        if (lineOpen) {
            lines++;
        }
        return new TextStatistics(characters, words, lines, paragraphs);
    }
}
