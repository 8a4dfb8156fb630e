package dev.lectern.pipeline.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.tika.metadata.Metadata;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXException;

class TextCollectorTest {

    private static TextCollector collector(long limit) {
        return new TextCollector(limit, new ParseGuard(1_000_000), new Metadata());
    }

    private static void feed(TextCollector collector, String... pieces) throws SAXException {
        for (String piece : pieces) {
            collector.characters(piece.toCharArray(), 0, piece.length());
        }
    }

    @Test
    void tidiesWhitespaceAsItArrives() throws SAXException {
        TextCollector text = collector(1_000);
        feed(text, "\n\n  Title  \r\n", "\r\n\r\n\n\nFirst  line\t \r", "\nsecond\u00a0line   \n\n\n\nLast.  \n\n");
        assertEquals("Title\n\nFirst line\nsecond line\n\nLast.", text.text());
        assertEquals(text.text().length(), text.characterCount());
        assertFalse(text.truncated());
    }

    @Test
    void crlfSplitAcrossWritesIsOneLineBreak() throws SAXException {
        TextCollector text = collector(1_000);
        feed(text, "one\r", "\ntwo");
        assertEquals("one\ntwo", text.text());
    }

    @Test
    void dropsControlCharactersButKeepsEveryScript() throws SAXException {
        TextCollector text = collector(1_000);
        feed(text, "caf\u00e9 \u0000\u0007na\u00efve \u65e5\u672c\u8a9e \ud83d\ude00");
        assertEquals("caf\u00e9 na\u00efve \u65e5\u672c\u8a9e \ud83d\ude00", text.text());
    }

    @Test
    void stopsTheParseAtTheLimitAndSaysSo() throws SAXException {
        TextCollector text = collector(10);
        feed(text, "0123456789");
        assertFalse(text.truncated(), "exactly the limit is not truncated");
        assertThrows(TextCollector.TextLimitReached.class, () -> feed(text, "a"));
        assertTrue(text.truncated());
        assertEquals("0123456789", text.text());
        assertEquals(10, text.characterCount());
    }

    @Test
    void whitespaceAfterTheLastWordDoesNotTruncate() throws SAXException {
        TextCollector text = collector(5);
        feed(text, "hello\n\n   \n");
        assertFalse(text.truncated());
        assertEquals("hello", text.text());
    }
}
