package dev.lectern.pipeline.extract;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.ContentHandler;

/** The bad inputs a new user would try: each gives a failure record naming the file, and nothing hangs or throws. */
class TikaDocumentExtractorBadInputTest {

    private static final ExtractionLimits LIMITS = new ExtractionLimits(1_000_000, Duration.ofSeconds(60), true, 5, 100);

    private static TikaDocumentExtractor extractor;

    @TempDir
    Path dir;

    @BeforeAll
    static void createExtractor() {
        extractor = new TikaDocumentExtractor(LIMITS);
    }

    @AfterAll
    static void closeExtractor() {
        extractor.close();
    }

    private Path write(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    private static ExtractedDocument single(List<ExtractedDocument> documents) {
        assertEquals(1, documents.size(), () -> "expected one document, got " + documents);
        return documents.getFirst();
    }

    private static void assertFailure(ExtractedDocument document, String type, String messageStart) {
        assertFalse(document.ok(), () -> document.path() + " should have failed");
        assertAll(
                () -> assertEquals(type, document.failure().type(), document.failure().message()),
                () -> assertTrue(document.failure().message().startsWith(messageStart), document.failure().message()),
                () -> assertFalse(document.failure().message().contains("\n"), "one line, no stack trace"),
                () -> assertFalse(document.failure().message().contains("\tat "), "no stack trace"),
                () -> assertNull(document.text()));
    }

    @Test
    void truncatedPdfIsCorrupt() throws IOException {
        byte[] pdf = SampleGenerator.invoicePdf(Optional.empty());
        Path file = write("reports/half.pdf", Arrays.copyOf(pdf, pdf.length / 2));
        assertFailure(single(extractor.extract(file, "reports/half.pdf")), "corrupt",
                "reports/half.pdf: could not be parsed as application/pdf: ");
    }

    @Test
    void garbageAfterAPdfHeaderIsCorrupt() throws IOException {
        Path file = write("scan.pdf", "%PDF-1.7\n%garbage where objects should be\n\u0001\u0002\u0003".getBytes(
                StandardCharsets.ISO_8859_1));
        assertFailure(single(extractor.extract(file, "scan.pdf")), "corrupt", "scan.pdf: could not be parsed");
    }

    @Test
    void truncatedDocxIsCorrupt() throws IOException {
        byte[] docx = SampleGenerator.sourdoughDocx();
        Path file = write("half.docx", Arrays.copyOf(docx, docx.length / 2));
        ExtractedDocument document = single(extractor.extract(file, "half.docx"));
        assertFailure(document, "corrupt", "half.docx: could not be parsed");
    }

    @Test
    void passwordProtectedPdfIsEncrypted() throws IOException {
        Path file = write("secret.pdf", SampleGenerator.invoicePdf(Optional.of("hunter2")));
        ExtractedDocument document = single(extractor.extract(file, "secret.pdf"));
        assertFailure(document, "encrypted", "secret.pdf: the document is encrypted");
        assertEquals("application/pdf", document.contentType());
    }

    @Test
    void passwordProtectedDocxIsEncrypted() throws Exception {
        Path file = write("secret.docx", encryptedDocx(SampleGenerator.sourdoughDocx(), "hunter2"));
        assertFailure(single(extractor.extract(file, "secret.docx")), "encrypted",
                "secret.docx: the document is encrypted");
    }

    /** An OOXML file encrypted the way Word does it: an OLE2 container holding the encrypted package. */
    private static byte[] encryptedDocx(byte[] docx, String password) throws Exception {
        try (POIFSFileSystem container = new POIFSFileSystem()) {
            Encryptor encryptor = new EncryptionInfo(EncryptionMode.agile).getEncryptor();
            encryptor.confirmPassword(password);
            try (OPCPackage opc = OPCPackage.open(new ByteArrayInputStream(docx));
                 OutputStream encrypted = encryptor.getDataStream(container)) {
                opc.save(encrypted);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            container.writeFilesystem(out);
            return out.toByteArray();
        }
    }

    @Test
    void zeroByteFileIsEmpty() throws IOException {
        Path file = write("blank.docx", new byte[0]);
        ExtractedDocument document = single(extractor.extract(file, "blank.docx"));
        assertFailure(document, "empty", "blank.docx: the file is empty");
    }

    @Test
    void emptyArchiveMemberIsAnEmptyFailureOfItsOwn() throws IOException {
        Path file = write("mixed.zip", SampleGenerator.zip(List.of(
                new SampleGenerator.Member("nothing.txt", new byte[0]),
                new SampleGenerator.Member("note.txt", "Remember to water the tomatoes every evening in July."
                        .getBytes(StandardCharsets.UTF_8)))));
        List<ExtractedDocument> documents = extractor.extract(file, "mixed.zip");
        assertEquals(List.of("mixed.zip", "mixed.zip!/nothing.txt", "mixed.zip!/note.txt"),
                documents.stream().map(ExtractedDocument::path).toList());
        assertTrue(documents.get(0).ok());
        assertFailure(documents.get(1), "empty", "mixed.zip!/nothing.txt: the file is empty");
        assertTrue(documents.get(2).text().contains("water the tomatoes"));
    }

    @Test
    void hugelyCompressedMemberIsCutAtTheCharacterLimit() throws IOException {
        // 64 MiB of text that deflates to about 64 KiB: the member stops at the limit instead of being read whole.
        ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipBytes)) {
            zip.putNextEntry(new ZipEntry("bomb.txt"));
            byte[] line = "all work and no play makes jack a dull boy\n".getBytes(StandardCharsets.US_ASCII);
            for (int written = 0; written < 64 << 20; written += line.length) {
                zip.write(line);
            }
            zip.closeEntry();
        }
        Path file = write("bomb.zip", zipBytes.toByteArray());
        try (TikaDocumentExtractor small = new TikaDocumentExtractor(
                new ExtractionLimits(10_000, Duration.ofSeconds(60), true, 5, 100))) {
            List<ExtractedDocument> documents = small.extract(file, "bomb.zip");
            assertEquals(2, documents.size(), documents::toString);
            ExtractedDocument member = documents.get(1);
            assertTrue(member.ok(), () -> String.valueOf(member.failure()));
            assertTrue(member.textTruncated());
            assertEquals(10_000, member.text().length());
            assertEquals(10_000, member.metadata().characterCount());
        }
    }

    @Test
    void archiveThatExpandsLikeAZipBombIsStopped() throws IOException {
        // 40 members of 100,000 characters each: 4 million characters out of a few KiB, far over 100 per byte.
        List<SampleGenerator.Member> members = new ArrayList<>();
        byte[] content = "z".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 40; i++) {
            members.add(new SampleGenerator.Member("part-" + i + ".txt", content));
        }
        Path file = write("expands.zip", SampleGenerator.zip(members));
        assertTrue(Files.size(file) < 20_000, "the test archive must be tiny");
        ExtractedDocument document = single(extractor.extract(file, "expands.zip"));
        assertFailure(document, "limit", "expands.zip: extraction stopped, suspected zip bomb");
        assertEquals("application/zip", document.contentType());
    }

    @Test
    void nestedArchivesStopAtTheDepthLimit() throws IOException {
        byte[] innermost = SampleGenerator.zip(List.of(new SampleGenerator.Member("deep.txt",
                "The treasure is buried under the old oak tree.".getBytes(StandardCharsets.UTF_8))));
        byte[] archive = innermost;
        for (int level = 7; level >= 1; level--) {
            archive = SampleGenerator.zip(List.of(new SampleGenerator.Member("level-" + level + ".zip", archive)));
        }
        Path file = write("nested.zip", archive);
        try (TikaDocumentExtractor shallow = new TikaDocumentExtractor(
                new ExtractionLimits(1_000_000, Duration.ofSeconds(60), true, 3, 100))) {
            List<ExtractedDocument> documents = shallow.extract(file, "nested.zip");
            assertEquals(List.of("nested.zip", "nested.zip!/level-1.zip", "nested.zip!/level-1.zip!/level-2.zip",
                            "nested.zip!/level-1.zip!/level-2.zip!/level-3.zip",
                            "nested.zip!/level-1.zip!/level-2.zip!/level-3.zip!/level-4.zip"),
                    documents.stream().map(ExtractedDocument::path).toList());
            assertEquals("nested.zip!/level-1.zip!/level-2.zip!/level-3.zip", documents.get(4).parentPath());
            documents.subList(0, 4).forEach(d -> assertTrue(d.ok(), d::toString));
            assertFailure(documents.get(4), "limit",
                    "nested.zip!/level-1.zip!/level-2.zip!/level-3.zip!/level-4.zip: not extracted: it is nested 4"
                            + " levels deep, more than maxEmbeddedDepth=3");
        }
    }

    @Test
    void archivesReadInlineAreFollowedNoDeeperThanTheDepthLimit() throws IOException {
        byte[] archive = SampleGenerator.zip(List.of(new SampleGenerator.Member("deep.txt",
                "The treasure is buried under the old oak tree.".getBytes(StandardCharsets.UTF_8))));
        for (int level = 40; level >= 1; level--) {
            archive = SampleGenerator.zip(List.of(new SampleGenerator.Member("level-" + level + ".zip", archive)));
        }
        Path file = write("very-nested.zip", archive);
        try (TikaDocumentExtractor inline = new TikaDocumentExtractor(
                new ExtractionLimits(1_000_000, Duration.ofSeconds(60), false, 5, 100))) {
            ExtractedDocument document = single(inline.extract(file, "very-nested.zip"));
            assertTrue(document.ok(), () -> String.valueOf(document.failure()));
            assertTrue(document.text().contains("level-5.zip"), document.text());
            assertFalse(document.text().contains("level-6.zip"), document.text());
            assertFalse(document.text().contains("treasure"), document.text());
        }
    }

    @Test
    void archiveWithTooManyMembersSaysHowManyWereSkipped() throws IOException {
        List<SampleGenerator.Member> members = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            members.add(new SampleGenerator.Member("note-" + i + ".txt",
                    ("Note number " + i + " about the garden.").getBytes(StandardCharsets.UTF_8)));
        }
        Path file = write("many.zip", SampleGenerator.zip(members));
        try (TikaDocumentExtractor few = new TikaDocumentExtractor(
                new ExtractionLimits(1_000_000, Duration.ofSeconds(60), true, 5, 3))) {
            List<ExtractedDocument> documents = few.extract(file, "many.zip");
            assertEquals(List.of("many.zip", "many.zip!/note-1.txt", "many.zip!/note-2.txt", "many.zip!/note-3.txt",
                    "many.zip!/note-4.txt"), documents.stream().map(ExtractedDocument::path).toList());
            assertFailure(documents.get(4), "limit", "many.zip!/note-4.txt: not extracted: many.zip holds more"
                    + " than maxEmbeddedCount=3 embedded documents; this one and 6 more were skipped");
        }
    }

    @Test
    void embeddedDocumentsOffKeepsMembersInTheirArchivesText() {
        try (TikaDocumentExtractor inline = new TikaDocumentExtractor(
                new ExtractionLimits(1_000_000, Duration.ofSeconds(60), false, 5, 100))) {
            ExtractedDocument zip = single(inline.extract(Samples.file("legal-pack.zip"), "legal-pack.zip"));
            assertTrue(zip.ok());
            assertTrue(zip.text().contains("MUTUAL NON-DISCLOSURE AGREEMENT"), zip.text());
            assertTrue(zip.text().contains("Strictly necessary cookies"), zip.text());
        }
    }

    @Test
    void fiftyMegabyteTextFileStopsAtTheCharacterLimit() throws IOException {
        Path file = dir.resolve("huge.txt");
        String paragraph = Files.readString(Samples.file("coral-reefs.txt"));
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long written = 0; written < 50L << 20; written += paragraph.length()) {
                writer.write(paragraph);
            }
        }
        ExtractedDocument document = single(extractor.extract(file, "huge.txt"));
        assertTrue(document.ok(), () -> String.valueOf(document.failure()));
        assertTrue(document.textTruncated());
        assertEquals(LIMITS.maxCharacters(), document.text().length());
        assertEquals(LIMITS.maxCharacters(), document.metadata().characterCount());
        assertEquals("en", document.metadata().language());
        assertTrue(document.text().startsWith(paragraph.strip()));
    }

    @Test
    void namesWithSpacesCommasAndNonAsciiArePreserved() throws IOException {
        String name = "Rapport annuel, été 2024 – café ☕.txt";
        Path file = write("dossiers clients/" + name, "Le chiffre d'affaires du café a progressé de douze pour cent"
                .getBytes(StandardCharsets.UTF_8));
        String relative = "dossiers clients/" + name;
        ExtractedDocument document = single(extractor.extract(file, relative));
        assertTrue(document.ok(), () -> String.valueOf(document.failure()));
        assertEquals(relative, document.path());
        assertTrue(document.text().startsWith("Le chiffre d'affaires du café"));

        Path zip = write("archives, 2024/Überblick.zip", SampleGenerator.zip(List.of(new SampleGenerator.Member(
                "Lieferanten & Preise, März.txt", "Die Preise für Kupfer sind gestiegen.".getBytes(
                        StandardCharsets.UTF_8)))));
        List<ExtractedDocument> documents = extractor.extract(zip, "archives, 2024/Überblick.zip");
        assertEquals("archives, 2024/Überblick.zip!/Lieferanten & Preise, März.txt", documents.get(1).path());
    }

    @Test
    void fileThatVanishedBeforeItsTurnIsUnreadable() {
        Path gone = dir.resolve("gone.pdf");
        assertFailure(single(extractor.extract(gone, "gone.pdf")), "unreadable",
                "gone.pdf: cannot be read: the file no longer exists");
    }

    @Test
    void directoryIsUnreadable() throws IOException {
        Files.createDirectories(dir.resolve("folder.pdf"));
        assertFailure(single(extractor.extract(dir.resolve("folder.pdf"), "folder.pdf")), "unreadable",
                "folder.pdf: cannot be read: it is a directory");
    }

    @Test
    void fileWithoutReadPermissionIsUnreadable() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file whatever its permissions");
        Path file = write("locked.txt", "private".getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        try {
            assertFailure(single(extractor.extract(file, "locked.txt")), "unreadable",
                    "locked.txt: cannot be read: permission denied");
        } finally {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void unknownBinaryFormatIsUnsupported() throws IOException {
        byte[] noise = new byte[4096];
        new java.util.Random(42).nextBytes(noise);
        Path file = write("blob.bin", noise);
        assertFailure(single(extractor.extract(file, "blob.bin")), "unsupported",
                "blob.bin: no parser for content type application/octet-stream");
    }

    @Test
    void parseThatHangsTimesOutAndTheNextFileIsParsedWithAFreshParser() throws IOException {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger parsersMade = new AtomicInteger();
        Supplier<Parser> parsers = () -> parsersMade.incrementAndGet() == 1
                ? new HangingParser(release)
                : new AutoDetectParser();
        Path file = write("slow.txt", "This file is fine, but the first parser hangs on it.".getBytes(
                StandardCharsets.UTF_8));
        try (TikaDocumentExtractor impatient = new TikaDocumentExtractor(
                new ExtractionLimits(1_000_000, Duration.ofMillis(300), true, 5, 100), parsers)) {
            assertFailure(single(impatient.extract(file, "slow.txt")), "timeout",
                    "slow.txt: extraction took longer than the timeout of 300 ms and was abandoned");
            assertEquals(2, parsersMade.get(), "the parser is recreated after a timeout");

            ExtractedDocument again = single(impatient.extract(file, "slow.txt"));
            assertTrue(again.ok(), () -> String.valueOf(again.failure()));
            assertTrue(again.text().startsWith("This file is fine"));
        } finally {
            release.countDown();
        }
    }

    @Test
    void parseThatRunsForeverIsStoppedAtItsNextWriteAfterTheDeadline() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Path file = write("endless.txt", "short".getBytes(StandardCharsets.UTF_8));
        try (TikaDocumentExtractor impatient = new TikaDocumentExtractor(
                new ExtractionLimits(1_000_000, Duration.ofMillis(300), true, 5, 100),
                () -> new EndlessWhitespaceParser(stopped))) {
            assertFailure(single(impatient.extract(file, "endless.txt")), "timeout",
                    "endless.txt: extraction took longer than the timeout of 300 ms");
            assertTrue(stopped.await(10, java.util.concurrent.TimeUnit.SECONDS),
                    "the abandoned parse ends once it writes again");
        }
    }

    @Test
    void tikasOwnZipBombGuardStopsAnArchiveReadInline() throws IOException {
        List<SampleGenerator.Member> members = new ArrayList<>();
        byte[] content = "z".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 40; i++) {
            members.add(new SampleGenerator.Member("part-" + i + ".txt", content));
        }
        Path file = write("expands-inline.zip", SampleGenerator.zip(members));
        try (TikaDocumentExtractor inline = new TikaDocumentExtractor(
                new ExtractionLimits(10_000_000, Duration.ofSeconds(60), false, 5, 100))) {
            ExtractedDocument document = single(inline.extract(file, "expands-inline.zip"));
            assertFailure(document, "limit",
                    "expands-inline.zip: extraction stopped by Tika's zip-bomb guard: Suspected zip bomb");
        }
    }

    @Test
    void parserThatThrowsAnUncheckedExceptionGivesACorruptFailure() throws IOException {
        Supplier<Parser> parsers = ThrowingParser::new;
        Path file = write("odd.txt", "text".getBytes(StandardCharsets.UTF_8));
        try (TikaDocumentExtractor broken = new TikaDocumentExtractor(LIMITS, parsers)) {
            assertFailure(single(broken.extract(file, "odd.txt")), "corrupt",
                    "odd.txt: could not be parsed: Index 7 out of bounds for length 3");
        }
    }

    /** Hangs until released, ignoring interrupts, as a parser stuck in a loop would. */
    private record HangingParser(CountDownLatch release) implements Parser {
        @Override
        public Set<MediaType> getSupportedTypes(ParseContext context) {
            return Set.of(MediaType.TEXT_PLAIN);
        }

        @Override
        public void parse(InputStream stream, ContentHandler handler, Metadata metadata, ParseContext context) {
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    // keep hanging: interrupts do not stop every stuck parser
                }
            }
        }
    }

    /** Writes whitespace forever (which never reaches a character limit) until a write is refused. */
    private record EndlessWhitespaceParser(CountDownLatch stopped) implements Parser {
        @Override
        public Set<MediaType> getSupportedTypes(ParseContext context) {
            return Set.of(MediaType.TEXT_PLAIN);
        }

        @Override
        public void parse(InputStream stream, ContentHandler handler, Metadata metadata, ParseContext context)
                throws org.xml.sax.SAXException {
            char[] blanks = "    \n".toCharArray();
            try {
                handler.startDocument();
                while (true) {
                    handler.characters(blanks, 0, blanks.length);
                }
            } finally {
                stopped.countDown();
            }
        }
    }

    private static final class ThrowingParser implements Parser {
        @Override
        public Set<MediaType> getSupportedTypes(ParseContext context) {
            return Set.of(MediaType.TEXT_PLAIN);
        }

        @Override
        public void parse(InputStream stream, ContentHandler handler, Metadata metadata, ParseContext context) {
            int[] small = new int[3];
            int index = 7;
            small[index] = 1;
        }
    }
}
