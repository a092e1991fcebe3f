package org.kvmosgi.diag.model;

import java.io.StringWriter;
import java.util.function.Consumer;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * An SVG document written through the JDK's StAX writer, which does the XML escaping;
 * one element a line, so that a picture diffs well in a repository.
 */
final class Svg {
    static final String NS = "http://www.w3.org/2000/svg";

    private final StringWriter text = new StringWriter();
    private final XMLStreamWriter xml;
    private int depth;

    Svg(int width, int height, String title) {
        try {
            xml = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            xml.writeStartDocument("UTF-8", "1.0");
            newline();
            xml.writeStartElement("svg");
            xml.writeDefaultNamespace(NS);
            attr("width", width);
            attr("height", height);
            attr("viewBox", "0 0 " + width + " " + height);
            attr("font-family", "monospace");
            attr("font-size", 12);
            depth++;
            element("title", title);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts an element with attributes given as name, value pairs. */
    Svg open(String name, Object... attrs) {
        try {
            newline();
            xml.writeStartElement(name);
            for (int i = 0; i < attrs.length; i += 2) {
                attr((String) attrs[i], attrs[i + 1]);
            }
            depth++;
            return this;
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    Svg close() {
        try {
            depth--;
            newline();
            xml.writeEndElement();
            return this;
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An element with text content (null: empty). */
    Svg element(String name, String content, Object... attrs) {
        try {
            newline();
            xml.writeStartElement(name);
            for (int i = 0; i < attrs.length; i += 2) {
                attr((String) attrs[i], attrs[i + 1]);
            }
            if (content != null) {
                xml.writeCharacters(content);
            }
            xml.writeEndElement();
            return this;
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The document, line by line. */
    void finish(Consumer<String> out) {
        try {
            depth = 0;
            newline();
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        text.toString().lines().forEach(out);
    }

    private void attr(String name, Object value) throws XMLStreamException {
        String v = value instanceof Double d ? num(d) : String.valueOf(value);
        xml.writeAttribute(name, v);
    }

    private void newline() throws XMLStreamException {
        xml.writeCharacters("\n" + "  ".repeat(Math.max(0, depth)));
    }

    /** A coordinate with at most one decimal, the same on every run. */
    static String num(double d) {
        long tenths = Math.round(d * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : (tenths / 10) + "." + Math.abs(tenths % 10);
    }
}
