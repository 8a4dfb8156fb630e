package dev.lectern.inference.chat;

/**
 * Separates the reasoning some models write before their answer ({@code <think>…</think>}: Qwen3,
 * DeepSeek-R1 distills) from the answer itself.
 */
public final class ThinkBlocks {

    private static final String OPEN = "<think>";
    private static final String CLOSE = "</think>";

    private ThinkBlocks() {
    }

    /**
     * The answer without a leading think block: text after {@code </think>}, stripped of the blank
     * lines that follow it. A reply that starts a think block and never closes it (the token budget
     * ran out while reasoning) has no answer: the empty string. Text without a leading block is
     * returned unchanged.
     */
    public static String stripLeading(String text) {
        String t = text.stripLeading();
        if (!t.startsWith(OPEN)) {
            // With thinking off the template already opened and closed the block; the model may
            // still repeat the closing tag.
            return t.startsWith(CLOSE) ? t.substring(CLOSE.length()).stripLeading() : text;
        }
        int close = t.indexOf(CLOSE, OPEN.length());
        return close < 0 ? "" : t.substring(close + CLOSE.length()).stripLeading();
    }
}
