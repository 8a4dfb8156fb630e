package dev.lectern.pipeline.extract;

import org.apache.tika.metadata.Metadata;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Receives one document's text from a Tika parser (inside a body filter) and keeps at most {@code maxCharacters} of
 * it, with whitespace tidied as it arrives: CR/CRLF become LF, trailing blanks on a line are dropped, runs of blank
 * lines collapse to one, and leading/trailing whitespace of the document is dropped. Counting after tidying keeps
 * {@link #characterCount()} equal to the length of the text a reader gets.
 *
 * <p>When the limit is reached the parse is stopped by throwing {@link TextLimitReached}: reading on would cost time
 * and, for a compressed input, unbounded work. Every character kept is also counted by the file's
 * {@link ParseGuard}, which watches how far the whole file expands.
 */
final class TextCollector extends DefaultHandler {

    private final long maxCharacters;
    private final ParseGuard guard;
    private final Metadata metadata;
    private final StringBuilder text = new StringBuilder();
    private int pendingNewlines;
    private int pendingSpaces;
    private boolean afterCarriageReturn;
    private boolean truncated;
    private volatile String contentType;

    TextCollector(long maxCharacters, ParseGuard guard, Metadata metadata) {
        this.maxCharacters = maxCharacters;
        this.guard = guard;
        this.metadata = metadata;
    }

    @Override
    public void startDocument() {
        // AutoDetectParser has detected the type before it starts the document: remember it where another thread
        // (the one that gave up waiting on a stuck parse) may read it safely.
        contentType = metadata.get(Metadata.CONTENT_TYPE);
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        for (int i = start; i < start + length; i++) {
            append(ch[i]);
        }
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        characters(ch, start, length);
    }

    private void append(char c) throws SAXException {
        if (c == '\n' && afterCarriageReturn) { // the LF of a CRLF: the CR already counted as the line break
            afterCarriageReturn = false;
            return;
        }
        afterCarriageReturn = c == '\r';
        if (c == '\r' || c == '\n') {
            pendingSpaces = 0;
            pendingNewlines++;
        } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
            pendingSpaces++;
        } else if (!Character.isISOControl(c)) {
            flushWhitespace();
            emit(c);
        }
    }

    private void flushWhitespace() throws SAXException {
        if (text.isEmpty()) {
            pendingNewlines = 0;
            pendingSpaces = 0;
            return;
        }
        if (pendingNewlines > 0) {
            emit('\n');
            if (pendingNewlines > 1) {
                emit('\n');
            }
        } else if (pendingSpaces > 0) {
            emit(' ');
        }
        pendingNewlines = 0;
        pendingSpaces = 0;
    }

    private void emit(char c) throws SAXException {
        if (text.length() >= maxCharacters) {
            truncated = true;
            throw new TextLimitReached(maxCharacters);
        }
        text.append(c);
        guard.countCharacter();
    }

    String text() {
        return text.toString();
    }

    long characterCount() {
        return text.length();
    }

    boolean truncated() {
        return truncated;
    }

    /** The detected content type once parsing started, else null. Safe to read from any thread. */
    String contentType() {
        return contentType;
    }

    /** Thrown to stop a parse once a document's text reached the character limit; not an error. */
    static final class TextLimitReached extends SAXException {
        TextLimitReached(long limit) {
            super("text reached the limit of " + limit + " characters");
        }
    }
}
