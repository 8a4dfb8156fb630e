package dev.lectern.pipeline.extract;

import org.apache.tika.sax.ContentHandlerDecorator;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * The outermost handler of every parse: before each SAX event reaches the text it asks the {@link ParseGuard} whether
 * the parse must stop. It sits outside the body filter so that a parser that writes only markup or only whitespace,
 * and so never adds text, is stopped all the same.
 */
final class GuardedContentHandler extends ContentHandlerDecorator {

    private final ParseGuard guard;

    GuardedContentHandler(ContentHandler handler, ParseGuard guard) {
        super(handler);
        this.guard = guard;
    }

    @Override
    public void startElement(String uri, String localName, String name, Attributes atts) throws SAXException {
        guard.check();
        super.startElement(uri, localName, name, atts);
    }

    @Override
    public void endElement(String uri, String localName, String name) throws SAXException {
        guard.check();
        super.endElement(uri, localName, name);
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        guard.check();
        super.characters(ch, start, length);
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        guard.check();
        super.ignorableWhitespace(ch, start, length);
    }
}
