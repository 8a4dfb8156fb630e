package dev.lectern.pipeline.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXException;

class FailureClassifierTest {

    @Test
    void encryptionAnywhereInTheChainIsEncrypted() {
        Throwable thrown = new TikaException("Unable to process", new EncryptedDocumentException("needs password"));
        assertEquals(new ExtractionFailure("encrypted", "a/b.pdf: the document is encrypted (password-protected)"
                        + " and cannot be read without its password"),
                FailureClassifier.classify(thrown, "a/b.pdf", "application/pdf"));
    }

    @Test
    void permissionAndVanishingAreUnreadable() {
        assertEquals(new ExtractionFailure("unreadable", "x.txt: cannot be read: permission denied"),
                FailureClassifier.classify(new AccessDeniedException("/data/x.txt"), "x.txt", null));
        assertEquals("unreadable",
                FailureClassifier.classify(new NoSuchFileException("/data/x.txt"), "x.txt", null).type());
    }

    @Test
    void parserErrorsAreCorruptWithTheirMessagesOnceAndWithoutObjectHashes() {
        Throwable thrown = new TikaException("TIKA-198: Illegal IOException from org.apache.tika.parser.pdf.PDFParser@1a2b3c4d",
                new IOException("java.io.IOException: Missing root object at offset 1234",
                        new IOException("Missing root object at offset 1234")));
        assertEquals(new ExtractionFailure("corrupt",
                        "r.pdf: could not be parsed as application/pdf: Missing root object at offset 1234"),
                FailureClassifier.classify(thrown, "r.pdf", "application/pdf"));
    }

    @Test
    void distinctMessagesAlongTheChainAreJoinedOnOneLine() {
        Throwable thrown = new SAXException("Unexpected end of\nstream", new IllegalStateException());
        assertEquals("r.xml: could not be parsed as application/xml: Unexpected end of stream; IllegalStateException",
                FailureClassifier.classify(thrown, "r.xml", "application/xml").message());
    }

    @Test
    void runningOutOfStackIsALimit() {
        assertEquals("limit", FailureClassifier.classify(new StackOverflowError(), "deep.xml", null).type());
    }

    @Test
    void longReasonsAreCut() {
        String message = FailureClassifier.classify(new IOException("x".repeat(2_000)), "big.bin", null).message();
        assertEquals("big.bin: could not be parsed: ".length() + 401, message.length());
    }
}
