package dev.lectern.inference.tokenizer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns generated tokens into text as they come. A token may end in the middle of a UTF-8 character
 * (byte-fallback tokens, byte-level BPE pieces of an emoji); those bytes are held back until the
 * character is complete, so every returned string is whole characters. Bytes that can never form a
 * valid character become U+FFFD. Not thread-safe: one decoder per generation.
 */
public final class StreamingDecoder {

    private final Tokenizer tokenizer;
    private final boolean skipControl;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(64);
    private CharBuffer out = CharBuffer.allocate(64);

    /** A decoder that renders control tokens as their text. */
    public StreamingDecoder(Tokenizer tokenizer) {
        this(tokenizer, false);
    }

    /** @param skipControl leave control tokens (BOS, EOS, chat markers) out of the text */
    public StreamingDecoder(Tokenizer tokenizer, boolean skipControl) {
        this.tokenizer = tokenizer;
        this.skipControl = skipControl;
    }

    /** Adds one token; returns the characters completed by it (possibly empty, never null). */
    public String append(int id) {
        if (skipControl && tokenizer.isControl(id)) {
            return "";
        }
        return appendBytes(tokenizer.tokenBytes(id));
    }

    /** Adds raw bytes; returns the characters they complete. */
    public String appendBytes(byte[] bytes) {
        ensureCapacity(bytes.length);
        pending.put(bytes);
        pending.flip();
        out.clear();
        ensureOutCapacity(pending.remaining());
        utf8.decode(pending, out, false);
        pending.compact();
        out.flip();
        return out.toString();
    }

    /** Ends the stream: any incomplete character left becomes U+FFFD. Resets the decoder. */
    public String finish() {
        pending.flip();
        out.clear();
        ensureOutCapacity(pending.remaining() + 1);
        utf8.decode(pending, out, true);
        utf8.flush(out);
        pending.clear();
        utf8.reset();
        out.flip();
        return out.toString();
    }

    private void ensureCapacity(int more) {
        if (pending.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + more));
            pending.flip();
            bigger.put(pending);
            pending = bigger;
        }
    }

    private void ensureOutCapacity(int bytes) {
        if (out.capacity() < bytes + 1) {
            out = CharBuffer.allocate(Math.max(out.capacity() * 2, bytes + 1));
        }
    }
}
