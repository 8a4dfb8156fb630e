package dev.lectern.pipeline.testing;

import dev.lectern.pipeline.beam.ExtractorFactory;
import dev.lectern.pipeline.extract.DocumentExtractor;
import dev.lectern.pipeline.extract.DocumentMetadata;
import dev.lectern.pipeline.extract.ExtractedDocument;
import dev.lectern.pipeline.extract.ExtractionFailure;
import dev.lectern.pipeline.extract.ExtractionLimits;
import dev.lectern.pipeline.model.FileDigests;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A stand-in for the Tika extractor in pipeline tests: reads UTF-8 text; a {@code .zip} yields its entries as
 * embedded documents; an empty file fails with {@code empty}; a file starting with {@code %CORRUPT} fails with
 * {@code corrupt}; a file starting with {@code %CRASH} kills the run (an {@link Error}) while {@link #crashArmed}.
 * Counts calls per path so tests can see what was processed.
 */
public final class FakeExtractor implements DocumentExtractor {

    public static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    public static volatile boolean crashArmed;

    /** Thrown to simulate the JVM dying mid-run. */
    public static final class SimulatedCrash extends Error {
        public SimulatedCrash(String message) {
            super(message);
        }
    }

    private final ExtractionLimits limits;

    public FakeExtractor(ExtractionLimits limits) {
        this.limits = limits;
    }

    public static ExtractorFactory factory() {
        return FakeExtractor::new;
    }

    public static int totalCalls() {
        return CALLS.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public List<ExtractedDocument> extract(Path file, String relativePath) {
        CALLS.computeIfAbsent(relativePath, k -> new AtomicInteger()).incrementAndGet();
        long delay = Long.getLong("lectern.test.extractDelayMillis", 0);
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return List.of(failed(relativePath, null, "unreadable", "cannot read: " + e.getMessage()));
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("%CRASH") && crashArmed) {
            throw new SimulatedCrash("simulated crash at " + relativePath);
        }
        if (bytes.length == 0) {
            return List.of(failed(relativePath, null, "empty", "the file is empty"));
        }
        if (text.startsWith("%CORRUPT")) {
            return List.of(failed(relativePath, null, "corrupt", "the file is damaged"));
        }
        if (relativePath.endsWith(".zip")) {
            return zip(file, relativePath);
        }
        return List.of(ok(relativePath, null, "text/plain", text));
    }

    private List<ExtractedDocument> zip(Path file, String relativePath) {
        List<ExtractedDocument> docs = new ArrayList<>();
        docs.add(ok(relativePath, null, "application/zip", ""));
        if (!limits.embeddedDocuments()) {
            return docs;
        }
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                byte[] bytes = zip.readAllBytes();
                String text = new String(bytes, StandardCharsets.UTF_8);
                docs.add(ok(relativePath + "!/" + e.getName(), relativePath, "text/plain", text)
                        .withDigest(FileDigests.sha256(new ByteArrayInputStream(bytes)), bytes.length));
            }
        } catch (IOException e) {
            return List.of(failed(relativePath, "application/zip", "corrupt", "bad zip: " + e.getMessage()));
        }
        return docs;
    }

    private ExtractedDocument ok(String path, String parent, String type, String text) {
        boolean truncated = text.length() > limits.maxCharacters();
        String kept = truncated ? text.substring(0, (int) limits.maxCharacters()) : text;
        DocumentMetadata meta = new DocumentMetadata(null, null, null, null, null, "en", text.length());
        return new ExtractedDocument(path, parent, type, meta, kept, truncated, null);
    }

    private static ExtractedDocument failed(String path, String type, String kind, String message) {
        return new ExtractedDocument(path, null, type, null, null, false, new ExtractionFailure(kind, message));
    }

    @Override
    public void close() {
    }
}
