package dev.lectern.pipeline.extract;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every file in samples/ gives the text and metadata it was made with. */
class TikaDocumentExtractorSamplesTest {

    private static TikaDocumentExtractor extractor;

    @BeforeAll
    static void createExtractor() {
        extractor = new TikaDocumentExtractor(new ExtractionLimits(1_000_000, Duration.ofSeconds(60), true, 5, 100));
    }

    @AfterAll
    static void closeExtractor() {
        extractor.close();
    }

    private static List<ExtractedDocument> extract(String name) {
        return extractor.extract(Samples.file(name), name);
    }

    private static ExtractedDocument single(String name) {
        List<ExtractedDocument> documents = extract(name);
        assertEquals(1, documents.size(), () -> name + " gave " + documents);
        return documents.getFirst();
    }

    private static void assertOk(ExtractedDocument document) {
        assertTrue(document.ok(), () -> document.path() + " failed: " + document.failure());
        assertNull(document.failure());
        assertFalse(document.textTruncated());
        assertEquals(document.text().length(), document.metadata().characterCount());
    }

    @Test
    void pdfGivesTextTitleAuthorDatesAndPages() {
        ExtractedDocument pdf = single("invoice-2024-0117.pdf");
        assertOk(pdf);
        assertAll(
                () -> assertEquals("invoice-2024-0117.pdf", pdf.path()),
                () -> assertNull(pdf.parentPath()),
                () -> assertEquals("application/pdf", pdf.contentType()),
                () -> assertEquals(SampleGenerator.INVOICE_TITLE, pdf.metadata().title()),
                () -> assertEquals(SampleGenerator.INVOICE_AUTHOR, pdf.metadata().author()),
                () -> assertEquals("2024-10-02T09:30:00Z", pdf.metadata().created()),
                () -> assertEquals("2024-10-02T09:30:00Z", pdf.metadata().modified()),
                () -> assertEquals(2, pdf.metadata().pageCount()),
                () -> assertEquals("en", pdf.metadata().language()),
                () -> assertTrue(pdf.text().startsWith("NORTHWIND OFFICE SUPPLIES LTD.\n"), pdf.text()),
                () -> assertTrue(pdf.text().contains("Total due: GBP 4,831.20"), pdf.text()),
                () -> assertTrue(pdf.text().contains("PAYMENT TERMS"), "page 2 is extracted too"));
    }

    @Test
    void docxGivesParagraphsAndCoreProperties() {
        ExtractedDocument docx = single("sourdough-basics.docx");
        assertOk(docx);
        assertAll(
                () -> assertEquals("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        docx.contentType()),
                () -> assertEquals(SampleGenerator.DOCX_TITLE, docx.metadata().title()),
                () -> assertEquals(SampleGenerator.DOCX_AUTHOR, docx.metadata().author()),
                () -> assertEquals("2024-10-02T09:30:00Z", docx.metadata().created()),
                () -> assertEquals("en", docx.metadata().language()),
                () -> assertTrue(docx.text().startsWith(SampleGenerator.DOCX_TITLE + "\n")),
                () -> assertTrue(docx.text().contains("Ingredients for one loaf: 500 g strong white bread flour")),
                () -> assertTrue(docx.text().endsWith("Let the loaf cool for at least an hour before slicing it.")));
    }

    @Test
    void htmlGivesBodyTextAndHeadMetadata() {
        ExtractedDocument html = single("marathon-report.html");
        assertOk(html);
        assertAll(
                () -> assertEquals("text/html", html.contentType()),
                () -> assertEquals("Rain Fails to Slow a Record Field at the Lakeside City Marathon",
                        html.metadata().title()),
                () -> assertEquals("Dana Whitfield", html.metadata().author()),
                () -> assertEquals("en", html.metadata().language()),
                () -> assertFalse(html.text().contains("<p"), "no markup"),
                () -> assertTrue(html.text().contains("Joseph Kiprono won the men's race in 2 hours 8 minutes")),
                () -> assertTrue(html.text().contains("\n\nWheelchair and mass races\n\n"), "blocks stay paragraphs"));
    }

    @Test
    void plainTextInThreeLanguagesIsRecognised() {
        assertAll(Stream.of("coral-reefs.txt:en:Coral Reefs Under Heat Stress",
                        "bail-habitation.txt:fr:Le bail d'habitation : droits et obligations",
                        "energiewende.txt:de:Die Energiewende in Deutschland")
                .map(line -> line.split(":", 3))
                .map(expected -> () -> {
                    ExtractedDocument text = single(expected[0]);
                    assertOk(text);
                    assertEquals("text/plain", text.contentType());
                    assertEquals(expected[1], text.metadata().language(), expected[0]);
                    assertTrue(text.text().startsWith(expected[2] + "\n\n"), text.text());
                    assertNull(text.metadata().title());
                }));
    }

    @Test
    void emailAttachmentBecomesItsOwnDocument() {
        List<ExtractedDocument> documents = extract("board-meeting.eml");
        assertEquals(List.of("board-meeting.eml", "board-meeting.eml!/q3-summary.txt"),
                documents.stream().map(ExtractedDocument::path).toList());
        ExtractedDocument mail = documents.get(0);
        ExtractedDocument attachment = documents.get(1);
        assertOk(mail);
        assertOk(attachment);
        assertAll(
                () -> assertEquals("message/rfc822", mail.contentType()),
                () -> assertEquals("Q3 results and budget review on Thursday", mail.metadata().title()),
                () -> assertTrue(mail.metadata().author().startsWith("Priya Raman"), mail.metadata().author()),
                () -> assertEquals("2024-10-08T07:14:00Z", mail.metadata().created()),
                () -> assertTrue(mail.text().startsWith("Hello everyone,")),
                () -> assertFalse(mail.text().contains("Receivables older than 60 days"),
                        "the attachment's text is its own document's, not the mail's"),
                () -> assertEquals("board-meeting.eml", attachment.parentPath()),
                () -> assertEquals("text/plain", attachment.contentType()),
                () -> assertTrue(attachment.text().contains("Receivables older than 60 days fell")));
    }

    @Test
    void zipMembersBecomeTheirOwnDocumentsInArchiveOrder() {
        List<ExtractedDocument> documents = extract("legal-pack.zip");
        assertEquals(List.of("legal-pack.zip", "legal-pack.zip!/mutual-nda.txt", "legal-pack.zip!/cookie-policy.html"),
                documents.stream().map(ExtractedDocument::path).toList());
        documents.forEach(TikaDocumentExtractorSamplesTest::assertOk);
        assertAll(
                () -> assertEquals("application/zip", documents.get(0).contentType()),
                () -> assertEquals("legal-pack.zip", documents.get(1).parentPath()),
                () -> assertEquals("text/plain", documents.get(1).contentType()),
                () -> assertTrue(documents.get(1).text().startsWith("MUTUAL NON-DISCLOSURE AGREEMENT")),
                () -> assertEquals("text/html", documents.get(2).contentType()),
                () -> assertEquals("Cookie Policy", documents.get(2).metadata().title()),
                () -> assertTrue(documents.get(2).text().contains("Strictly necessary cookies")));
    }

    @Test
    void zipMembersCarryTheDigestAndSizeOfTheirOwnBytes() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(Samples.file("legal-pack.zip")))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                members.put("legal-pack.zip!/" + e.getName(), zip.readAllBytes());
            }
        }
        List<ExtractedDocument> documents = extract("legal-pack.zip");
        assertNull(documents.getFirst().sha256(), "the input file itself is hashed by its caller");
        for (ExtractedDocument member : documents.subList(1, documents.size())) {
            byte[] bytes = members.get(member.path());
            assertEquals(sha256(bytes), member.sha256(), member.path());
            assertEquals(bytes.length, member.size(), member.path());
        }
    }

    @Test
    void emailAttachmentCarriesTheDigestOfItsDecodedBytes() throws IOException {
        // The attachment is the mail's only base64 part: its record hashes the decoded file, not the mail's text.
        List<String> lines = Files.readAllLines(Samples.file("board-meeting.eml"), StandardCharsets.UTF_8);
        StringBuilder base64 = new StringBuilder();
        for (int i = lines.indexOf("Content-Transfer-Encoding: base64") + 1; !lines.get(i).startsWith("--"); i++) {
            base64.append(lines.get(i).strip());
        }
        byte[] decoded = Base64.getDecoder().decode(base64.toString());
        ExtractedDocument attachment = extract("board-meeting.eml").get(1);
        assertEquals(decoded.length, attachment.size());
        assertEquals(sha256(decoded), attachment.sha256());
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void corruptPdfIsACorruptFailure() {
        ExtractedDocument pdf = single("corrupt.pdf");
        assertFalse(pdf.ok());
        assertEquals("corrupt", pdf.failure().type());
        assertEquals("application/pdf", pdf.contentType());
        assertTrue(pdf.failure().message().startsWith("corrupt.pdf: could not be parsed as application/pdf: "),
                pdf.failure().message());
        assertNull(pdf.text());
    }

    @Test
    void emptyFileIsAnEmptyFailure() {
        ExtractedDocument empty = single("empty.txt");
        assertFalse(empty.ok());
        assertEquals("empty", empty.failure().type());
        assertEquals("empty.txt: the file is empty (0 bytes); there is nothing to extract", empty.failure().message());
    }

    @Test
    void sameFileGivesTheSameDocumentsEveryTime() {
        for (String name : List.of("legal-pack.zip", "board-meeting.eml", "invoice-2024-0117.pdf", "corrupt.pdf")) {
            assertEquals(extract(name), extract(name), name);
        }
    }
}
