package dev.lectern.pipeline.extract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFRun;

/**
 * Writes the binary and assembled files of {@code samples/} (the plain-text and HTML samples are written by hand).
 * Run once, from the pipeline module, after {@code ./build -o -pl pipeline -am test-compile}:
 * <pre>java -cp pipeline/target/test-classes:pipeline/target/classes:$(cat cp.txt) \
 *     dev.lectern.pipeline.extract.SampleGenerator samples</pre>
 * The tests also use it to build encrypted and corrupt variants in temporary folders.
 */
public final class SampleGenerator {

    static final String INVOICE_TITLE = "Invoice INV-2024-0117";
    static final String INVOICE_AUTHOR = "Northwind Office Supplies Ltd.";
    static final String DOCX_TITLE = "Sourdough Bread: A Beginner's Method";
    static final String DOCX_AUTHOR = "Marta Lindqvist";

    private static final Calendar CREATED = utc(2024, Calendar.OCTOBER, 2, 9, 30);

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "samples");
        Files.createDirectories(dir);
        byte[] invoice = invoicePdf(Optional.empty());
        Files.write(dir.resolve("invoice-2024-0117.pdf"), invoice);
        Files.write(dir.resolve("corrupt.pdf"), corruptPdf(invoice));
        Files.write(dir.resolve("sourdough-basics.docx"), sourdoughDocx());
        Files.write(dir.resolve("board-meeting.eml"), boardMeetingEml());
        Files.write(dir.resolve("legal-pack.zip"), zip(List.of(
                new Member("mutual-nda.txt", MUTUAL_NDA.getBytes(StandardCharsets.UTF_8)),
                new Member("cookie-policy.html", COOKIE_POLICY.getBytes(StandardCharsets.UTF_8)))));
    }

    /** A two-page invoice; with a user password it is encrypted (it cannot be opened without it). */
    static byte[] invoicePdf(Optional<String> userPassword) throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDDocumentInformation info = document.getDocumentInformation();
            info.setTitle(INVOICE_TITLE);
            info.setAuthor(INVOICE_AUTHOR);
            info.setSubject("Invoice for office furniture and supplies delivered in September 2024");
            info.setCreationDate(CREATED);
            info.setModificationDate(CREATED);
            writePage(document, INVOICE_PAGE_1);
            writePage(document, INVOICE_PAGE_2);
            if (userPassword.isPresent()) {
                var permissions = new org.apache.pdfbox.pdmodel.encryption.AccessPermission();
                var policy = new org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy(
                        "owner-" + userPassword.get(), userPassword.get(), permissions);
                policy.setEncryptionKeyLength(128);
                document.protect(policy);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    /** The first 40% of a real PDF: the header and some objects survive, the cross-reference table does not. */
    static byte[] corruptPdf(byte[] pdf) {
        return Arrays.copyOf(pdf, pdf.length * 2 / 5);
    }

    private static void writePage(PDDocument document, String text) throws IOException {
        PDPage page = new PDPage(PDRectangle.A4);
        document.addPage(page);
        PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
            content.beginText();
            content.setFont(font, 11);
            content.setLeading(15);
            content.newLineAtOffset(60, 780);
            for (String line : wrap(text, 90)) {
                content.showText(line);
                content.newLine();
            }
            content.endText();
        }
    }

    /** Greedy word wrap; blank lines in the input stay blank. */
    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : text.split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.split(" ")) {
                if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                if (!line.isEmpty()) {
                    line.append(' ');
                }
                line.append(word);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    static byte[] sourdoughDocx() throws IOException {
        try (XWPFDocument document = new XWPFDocument()) {
            var properties = document.getProperties().getCoreProperties();
            properties.setTitle(DOCX_TITLE);
            properties.setCreator(DOCX_AUTHOR);
            properties.setCreated(Optional.of(CREATED.getTime()));
            properties.setModified(Optional.of(CREATED.getTime()));
            heading(document, DOCX_TITLE);
            for (String paragraph : SOURDOUGH.strip().split("\n\n")) {
                XWPFParagraph p = document.createParagraph();
                XWPFRun run = p.createRun();
                run.setText(paragraph.replace('\n', ' '));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.write(out);
            return out.toByteArray();
        }
    }

    private static void heading(XWPFDocument document, String text) {
        XWPFRun run = document.createParagraph().createRun();
        run.setBold(true);
        run.setFontSize(16);
        run.setText(text);
    }

    static byte[] boardMeetingEml() {
        String attachment = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(Q3_SUMMARY.getBytes(StandardCharsets.UTF_8));
        String mail = """
                From: Priya Raman <priya.raman@harborlane.example>
                To: Finance Team <finance@harborlane.example>
                Subject: Q3 results and budget review on Thursday
                Date: Tue, 08 Oct 2024 09:14:00 +0200
                Message-ID: <q3-review-20241008@harborlane.example>
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="----=_boundary_7f3a"

                ------=_boundary_7f3a
                Content-Type: text/plain; charset=UTF-8
                Content-Transfer-Encoding: 8bit

                %s
                ------=_boundary_7f3a
                Content-Type: text/plain; charset=UTF-8; name="q3-summary.txt"
                Content-Disposition: attachment; filename="q3-summary.txt"
                Content-Transfer-Encoding: base64

                %s
                ------=_boundary_7f3a--
                """.formatted(BOARD_MEETING_BODY.strip(), attachment);
        return mail.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    record Member(String name, byte[] content) {
    }

    /** A ZIP with fixed timestamps, so the same members always give the same bytes. */
    static byte[] zip(List<Member> members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Member member : members) {
                ZipEntry entry = new ZipEntry(member.name());
                entry.setTime(CREATED.getTimeInMillis());
                zip.putNextEntry(entry);
                zip.write(member.content());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static Calendar utc(int year, int month, int day, int hour, int minute) {
        Calendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        calendar.clear();
        calendar.set(year, month, day, hour, minute, 0);
        return calendar;
    }

    static final String INVOICE_PAGE_1 = """
            NORTHWIND OFFICE SUPPLIES LTD.
            14 Dockside Road, Bristol BS1 6QA, United Kingdom - VAT GB 284 1937 55

            INVOICE INV-2024-0117
            Invoice date: 2 October 2024    Due date: 1 November 2024
            Customer reference: PO-88412

            Bill to: Harbor Lane Architects LLP, Accounts Payable, 3 Quay Street, Bristol BS1 4DB

            Item                                   Qty    Unit price    Amount
            Height-adjustable desk, oak top          6      GBP 420.00    GBP 2,520.00
            Ergonomic task chair, grey mesh          6      GBP 189.00    GBP 1,134.00
            A3 drawing paper, 250 sheets            12       GBP 18.50      GBP 222.00
            Delivery and assembly                    1      GBP 150.00      GBP 150.00

            Subtotal: GBP 4,026.00
            VAT at 20%: GBP 805.20
            Total due: GBP 4,831.20

            Thank you for your order. The furniture was delivered and assembled on 27 September 2024.
            """;

    static final String INVOICE_PAGE_2 = """
            PAYMENT TERMS

            Payment is due within 30 days of the invoice date by bank transfer to Northwind Office Supplies Ltd.,
            sort code 20-45-77, account number 63918204. Please quote the invoice number INV-2024-0117 as the
            payment reference so that your payment can be matched quickly.

            Late payments may incur interest at 8% above the Bank of England base rate under the Late Payment of
            Commercial Debts (Interest) Act 1998, together with a fixed compensation fee. Goods remain the property
            of Northwind Office Supplies Ltd. until the invoice has been paid in full.

            Questions about this invoice can be sent to accounts@northwind-supplies.example or raised by phone on
            0117 496 0321, Monday to Friday between 9 am and 5 pm.
            """;

    static final String SOURDOUGH = """
            Sourdough bread is leavened by a starter: a fermented mixture of flour and water that carries wild yeast
            and lactic acid bacteria. The yeast makes the dough rise, while the bacteria produce the acids that give
            the bread its slightly sour taste and help it keep for several days.

            Ingredients for one loaf: 500 g strong white bread flour, 350 g water at about 27 degrees Celsius, 100 g
            active starter and 10 g salt. Feed the starter four to eight hours before you start, and use it when it
            has doubled in volume and smells pleasantly sour.

            Mix the flour and 330 g of the water and leave the dough to rest for an hour; this rest, the autolyse,
            lets the flour absorb the water and starts gluten development without any kneading. Then add the starter,
            the salt and the remaining water, and squeeze the dough through your fingers until everything is evenly
            combined.

            During the next four hours, perform a set of stretch and folds every thirty minutes for the first two
            hours: lift one side of the dough, fold it over the middle, turn the bowl and repeat on all four sides.
            The dough is ready to shape when it has grown by about half, feels airy and shows bubbles at the edges.

            Shape the dough into a tight round, place it seam side up in a floured proofing basket, cover it and let
            it rest in the refrigerator overnight. The cold slows fermentation and deepens the flavour. Bake the next
            morning in a preheated Dutch oven at 250 degrees Celsius for twenty minutes with the lid on, then
            remove the lid and bake for another twenty to twenty-five minutes at 230 degrees until the crust is deep
            brown. Let the loaf cool for at least an hour before slicing it.
            """;

    static final String BOARD_MEETING_BODY = """
            Hello everyone,

            The third-quarter figures are now closed, and I have attached a short summary ahead of Thursday's
            budget review at 10:00 in the large meeting room.

            Revenue came in at 1.84 million pounds, four percent above plan, mainly thanks to the two hospital
            projects that reached their design milestones early. Costs were also above plan because of the new
            rendering workstations and higher subcontractor fees, so the operating margin ended at 11.2 percent
            against a target of 12.

            On Thursday I would like us to agree on three things: whether to bring forward the hiring of two junior
            architects, how much of the training budget to release for the fourth quarter, and whether to renew the
            office lease for five years or for three. Please read the attachment beforehand and send me any
            questions by Wednesday noon.

            Best regards,
            Priya Raman
            Finance Director, Harbor Lane Architects
            """;

    static final String Q3_SUMMARY = """
            Harbor Lane Architects LLP - Q3 2024 financial summary

            Revenue: GBP 1,840,000 (plan GBP 1,770,000, +4.0%)
            Staff costs: GBP 1,010,000 (plan GBP 990,000)
            Subcontractors: GBP 296,000 (plan GBP 250,000)
            Equipment and software: GBP 182,000 (plan GBP 150,000)
            Rent and facilities: GBP 146,000 (plan GBP 146,000)
            Operating profit: GBP 206,000, a margin of 11.2% (target 12.0%)

            Cash at the end of the quarter was GBP 612,000. Receivables older than 60 days fell from GBP 94,000 to
            GBP 41,000 after the collection campaign in August. The forecast for the full year remains a margin of
            about 12 percent, provided the two hospital projects invoice their next stage in November.
            """;

    static final String MUTUAL_NDA = """
            MUTUAL NON-DISCLOSURE AGREEMENT - SUMMARY OF KEY TERMS

            This agreement is made between Harbor Lane Architects LLP and Greystone Engineering GmbH, who intend to
            exchange confidential information while they evaluate a joint bid for the redevelopment of the old
            harbour warehouses.

            1. Confidential information means any technical, commercial or financial information disclosed by one
            party to the other, in any form, that is marked as confidential or would reasonably be understood to be
            confidential. It does not include information that is already public, that the receiving party already
            knew, or that it developed independently.

            2. The receiving party shall use the confidential information only to evaluate and prepare the joint bid,
            shall not disclose it to third parties except to employees and advisers who need to know it and are bound
            by equivalent obligations, and shall protect it with at least the care it uses for its own confidential
            information.

            3. The obligations last for three years from the date of the last disclosure. On request, each party shall
            return or destroy the other party's confidential information, except for copies that must be kept by law.

            4. This agreement is governed by the laws of England and Wales, and the courts of London have exclusive
            jurisdiction over any dispute arising from it.
            """;

    static final String COOKIE_POLICY = """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Cookie Policy</title></head>
            <body>
            <h1>Cookie Policy</h1>
            <p>This policy explains how the Harbor Lane Architects website uses cookies, which are small text files
            stored on your device when you visit a website.</p>
            <h2>Which cookies we use</h2>
            <p>Strictly necessary cookies keep you signed in to the client portal and remember your cookie choices;
            the site cannot work without them, so they do not require consent. Analytics cookies help us understand
            which project pages are visited most often. We only set them if you agree, and the statistics are
            anonymised before we see them.</p>
            <h2>Your choices</h2>
            <p>You can change or withdraw your consent at any time from the cookie settings link at the bottom of
            every page. You can also delete cookies in your browser settings. Withdrawing consent does not affect the
            lawfulness of processing carried out before you withdrew it.</p>
            </body>
            </html>
            """;
}
