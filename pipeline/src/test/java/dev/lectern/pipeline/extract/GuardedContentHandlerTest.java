package dev.lectern.pipeline.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.tika.metadata.Metadata;
import org.junit.jupiter.api.Test;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.AttributesImpl;

class GuardedContentHandlerTest {

    private static void feed(ContentHandler handler, String... pieces) throws SAXException {
        for (String piece : pieces) {
            handler.characters(piece.toCharArray(), 0, piece.length());
        }
    }

    @Test
    void cancelledGuardStopsTheNextEventEvenOneThatAddsNoText() throws SAXException {
        ParseGuard guard = new ParseGuard(100);
        TextCollector text = new TextCollector(1_000, guard, new Metadata());
        ContentHandler handler = new GuardedContentHandler(text, guard);
        feed(handler, "before");
        guard.cancel();
        assertThrows(ParseGuard.ParseCancelled.class,
                () -> handler.startElement("", "p", "p", new AttributesImpl()));
        assertThrows(ParseGuard.ParseCancelled.class, () -> handler.ignorableWhitespace(new char[] {' '}, 0, 1));
        assertThrows(ParseGuard.ParseCancelled.class, () -> feed(handler, "after"));
        assertEquals("before", text.text());
    }

    @Test
    void guardStopsAFileThatExpandsMoreThanAHundredCharactersPerByte() throws SAXException {
        ParseGuard guard = new ParseGuard(1_000); // 1,000,000 characters pass: that is the threshold, not over it
        TextCollector text = new TextCollector(10_000_000, guard, new Metadata());
        ContentHandler handler = new GuardedContentHandler(text, guard);
        String block = "x".repeat(100_000);
        for (int i = 0; i < 10; i++) {
            feed(handler, block);
        }
        SAXException stop = assertThrows(ParseGuard.ExpansionLimitReached.class, () -> feed(handler, block, "y"));
        assertTrue(stop.getMessage().startsWith("suspected zip bomb: 1000 bytes on disk expanded to more than"),
                stop.getMessage());
        assertEquals(stop, guard.stopReason());
        assertEquals(1_100_000, text.characterCount());
    }
}
