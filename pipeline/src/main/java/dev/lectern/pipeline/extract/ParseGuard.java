package dev.lectern.pipeline.extract;

import org.xml.sax.SAXException;

/**
 * Watches one input file's parse, across the file and every document embedded in it, and stops it when it must end:
 * when the caller gave up waiting (deadline passed) or when the file expands like a zip bomb.
 *
 * <p>The expansion rule is Tika's own ({@code SecureContentHandler}): past a threshold of output, more than
 * {@value #MAX_CHARACTERS_PER_BYTE} characters per input byte is suspect. Tika applies it per document, where an
 * archive member's bytes are already decompressed; here it is applied to the whole file on disk, so many small
 * members that each look harmless are caught too.
 *
 * <p>The character count is written only by the parsing thread; {@link #cancel()} comes from another thread.
 */
final class ParseGuard {

    /** Output below this many characters is never suspect (Tika's default output threshold). */
    static final long EXPANSION_THRESHOLD = 1_000_000;
    /** Tika's default maximum compression ratio. */
    static final long MAX_CHARACTERS_PER_BYTE = 100;

    private final long inputBytes;
    private long characters;
    private volatile boolean cancelled;
    private SAXException stop;

    ParseGuard(long inputBytes) {
        this.inputBytes = Math.max(inputBytes, 1);
    }

    /** Counts one character of extracted text (any document of this file). */
    void countCharacter() {
        characters++;
    }

    /** Throws once the parse must stop; keeps throwing, so a parser that swallows the first one is stopped later. */
    void check() throws SAXException {
        if (stop == null) {
            if (cancelled) {
                stop = new ParseCancelled();
            } else if (characters > EXPANSION_THRESHOLD && characters > MAX_CHARACTERS_PER_BYTE * inputBytes) {
                stop = new ExpansionLimitReached(characters, inputBytes);
            }
        }
        if (stop != null) {
            throw stop;
        }
    }

    /**
     * The most bytes one embedded document of this file is read for its hash, by the same rule as the text: beyond
     * it, finishing a document the parser did not need would make a zip bomb's work for it.
     */
    long expansionBound() {
        return Math.max(EXPANSION_THRESHOLD, MAX_CHARACTERS_PER_BYTE * inputBytes);
    }

    /** Asks the parse to stop at its next write. Called by the thread that stopped waiting for it. */
    void cancel() {
        cancelled = true;
    }

    /** The reason the parse was stopped, or null while it may go on. */
    SAXException stopReason() {
        return stop;
    }

    /** The parse was stopped because nobody waits for it any more. */
    static final class ParseCancelled extends SAXException {
        ParseCancelled() {
            super("parse cancelled after its deadline");
        }
    }

    /** The file produced far more text than its size makes plausible. */
    static final class ExpansionLimitReached extends SAXException {
        ExpansionLimitReached(long characters, long inputBytes) {
            super("suspected zip bomb: " + inputBytes + " bytes on disk expanded to more than " + characters
                    + " characters of text (over " + MAX_CHARACTERS_PER_BYTE + " characters per byte)");
        }
    }
}
