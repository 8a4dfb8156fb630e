package dev.lectern.inference.tokenizer;

/**
 * The settings of a BERT WordPiece tokenizer, as a {@code tokenizer.json} states them.
 *
 * @param cleanText            delete control and format characters and turn whitespace into spaces
 * @param handleChineseChars   make each CJK ideograph a word of its own
 * @param stripAccents         decompose (NFD) and drop non-spacing marks
 * @param lowercase            lower-case the text
 * @param maxInputCharsPerWord a longer word becomes one {@code [UNK]}
 * @param maxLength            the longest sequence with {@code [CLS]} and {@code [SEP]}; longer ones are cut
 */
public record WordPieceTokenizerOptions(boolean cleanText, boolean handleChineseChars, boolean stripAccents,
                                        boolean lowercase, int maxInputCharsPerWord, int maxLength) {
    public WordPieceTokenizerOptions {
        if (maxInputCharsPerWord < 1) {
            throw new IllegalArgumentException("maxInputCharsPerWord must be positive, got " + maxInputCharsPerWord);
        }
        if (maxLength < 3) {
            throw new IllegalArgumentException("maxLength must leave room for [CLS], one piece and [SEP], got " + maxLength);
        }
    }

    /** bert-base-uncased: every normalization step on, 100 characters per word. */
    public static WordPieceTokenizerOptions uncased(int maxLength) {
        return new WordPieceTokenizerOptions(true, true, true, true, 100, maxLength);
    }
}
