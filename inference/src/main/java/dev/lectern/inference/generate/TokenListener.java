package dev.lectern.inference.generate;

/** Receives generated tokens as they are chosen. */
@FunctionalInterface
public interface TokenListener {
    /**
     * @param id   the token id
     * @param text the characters this token completes (may be empty: a token can end inside a UTF-8 character);
     *             at the very end, held-back bytes that never completed a character arrive with {@code id = -1}
     */
    void onToken(int id, String text);

    TokenListener NONE = (id, text) -> { };
}
