package dev.lectern.pipeline.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** SHA-256 of files and byte streams, hex-encoded. Model files are hashed once per JVM (keyed by path, size, mtime). */
public final class FileDigests {

    private static final ConcurrentMap<String, String> MODEL_HASHES = new ConcurrentHashMap<>();

    private FileDigests() {
    }

    /** The SHA-256 of {@code file}, streamed (never the whole file in memory). */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    public static String sha256(InputStream in) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String sha256(String text) {
        return HexFormat.of().formatHex(newDigest().digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Like {@link #sha256(Path)}, remembered for the JVM: a multi-gigabyte model is read once, not per worker. */
    public static String cachedSha256(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        String key = file.toAbsolutePath().normalize() + "|" + attributes.size() + "|"
                + attributes.lastModifiedTime().toMillis();
        String known = MODEL_HASHES.get(key);
        if (known != null) {
            return known;
        }
        String computed = sha256(file);
        MODEL_HASHES.put(key, computed);
        return computed;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
