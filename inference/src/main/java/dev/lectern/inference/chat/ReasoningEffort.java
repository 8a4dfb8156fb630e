package dev.lectern.inference.chat;

import java.util.Locale;

/** How much a harmony model (gpt-oss) reasons before answering; written as {@code Reasoning: low|medium|high}. */
public enum ReasoningEffort {
    LOW, MEDIUM, HIGH;

    /** The word the system message uses. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code low}, {@code medium} or {@code high} (any case). */
    public static ReasoningEffort parse(String text) {
        for (ReasoningEffort e : values()) {
            if (e.word().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return e;
            }
        }
        throw new IllegalArgumentException("reasoning effort: expected low, medium or high, got '" + text + "'");
    }
}
