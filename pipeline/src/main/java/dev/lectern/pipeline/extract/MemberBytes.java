package dev.lectern.pipeline.extract;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.xml.sax.SAXException;

/**
 * The bytes of one embedded document (an archive member, an email attachment) as its parser reads them, counted and
 * hashed, so that its record can carry a SHA-256 and a size just as an input file's record does.
 *
 * <p>Every way of reading goes through {@link #read(byte[], int, int)}, skipping included, so the hash covers exactly
 * the bytes of the document in order. A parser may stop before the end (it found what it needs, or it failed);
 * {@link #drain} then reads the rest, within a bound, so the hash is of the whole document or of nothing.
 */
final class MemberBytes extends FilterInputStream {

    private final MessageDigest sha256;
    /** Scratch for bytes read only to be hashed: skipped ones and those {@link #drain} reads. */
    private final byte[] discard = new byte[8192];
    private final byte[] oneByte = new byte[1];
    private long count;

    MemberBytes(InputStream in) {
        super(in);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public int read() throws IOException {
        return read(oneByte, 0, 1) < 0 ? -1 : oneByte[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            sha256.update(b, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n) {
            int r = read(discard, 0, (int) Math.min(discard.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    /** Marks would replay bytes into the hash; callers (TikaInputStream) buffer for themselves instead. */
    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void mark(int readLimit) {
    }

    @Override
    public void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    /**
     * Reads what the parser left unread, checking the guard between reads (a file past its deadline stops here too).
     *
     * @param maxBytes the most this document may hold for its hash to be worth finishing (the expansion bound)
     * @return true when the document was read to its end, false when it is larger than {@code maxBytes} or the stream
     *         broke; the hash then stays unfinished and the record has no sha256
     */
    boolean drain(ParseGuard guard, long maxBytes) throws SAXException {
        try {
            while (count <= maxBytes) {
                guard.check();
                if (read(discard, 0, discard.length) < 0) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** Hex SHA-256 of all bytes read; call once, after {@link #drain} returned true. */
    String sha256() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Bytes read so far. */
    long size() {
        return count;
    }
}
