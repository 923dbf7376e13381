package org.ctys.stack;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads libvirt domain XML ({@code virsh dumpxml}, one document after another) for what ENUMERATE
 * shows: MACs of {@code <interface>}, and the consoles ({@code <graphics type='vnc'>},
 * {@code <serial>}/{@code <console>} of type pty).
 */
final class DomainXml {
    private DomainXml() {}

    static List<GuestDetails> parseAll(String stdout) {
        List<GuestDetails> all = new ArrayList<>();
        StringBuilder doc = new StringBuilder();
        String first = null;
        for (String line : stdout.split("\n", -1)) {
            if (doc.length() == 0) {
                if (line.isBlank()) continue;
                if (!line.startsWith("<domain")) throw new IllegalArgumentException("virsh dumpxml printed a line outside a <domain>: \"" + line + "\"");
                first = line;
            }
            doc.append(line).append('\n');
            // a "</domain>" inside a description would be escaped (&lt;/domain>): this line ends the document
            if (line.strip().equals("</domain>")) {
                all.add(parse(doc.toString(), first));
                doc.setLength(0);
            }
        }
        if (doc.length() > 0) throw new IllegalArgumentException("virsh dumpxml printed a domain without its end: \"" + first + "\"");
        return all;
    }

    private static GuestDetails parse(String xml, String firstLine) {
        Element domain;
        try {
            domain = builder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("virsh dumpxml printed XML that does not parse (" + e.getMessage() + "): \"" + firstLine + "\"");
        }
        Element name = child(domain, "name");
        if (!domain.getTagName().equals("domain") || name == null) {
            throw new IllegalArgumentException("virsh dumpxml printed a domain without a <name>: \"" + firstLine + "\"");
        }
        List<String> macs = new ArrayList<>();
        Set<String> consoles = new LinkedHashSet<>();
        Element devices = child(domain, "devices");
        if (devices != null) {
            for (Element device : children(devices)) {
                switch (device.getTagName()) {
                    case "interface" -> {
                        Element mac = child(device, "mac");
                        if (mac != null && !mac.getAttribute("address").isEmpty()) macs.add(mac.getAttribute("address").toLowerCase(Locale.ROOT));
                    }
                    case "graphics" -> {
                        if (device.getAttribute("type").equals("vnc")) consoles.add(vnc(device));
                    }
                    case "serial", "console" -> {
                        if (device.getAttribute("type").equals("pty")) consoles.add("serial");
                    }
                    default -> { }
                }
            }
        }
        return new GuestDetails(name.getTextContent(), macs, List.copyOf(consoles));
    }

    /** "vnc:ADDR:PORT" once it has a port (-1 is autoport before the domain runs), else "vnc". */
    private static String vnc(Element graphics) {
        String port = graphics.getAttribute("port");
        String address = graphics.getAttribute("listen");
        if (address.isEmpty()) {
            Element listen = child(graphics, "listen");
            if (listen != null) address = listen.getAttribute("address");
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535 || address.isEmpty()) return "vnc";
        return "vnc:" + (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // the XML comes from a host: no DTDs, no external entities, no includes
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            // failures come back as the exception, not also as "[Fatal Error]" on stderr
            b.setErrorHandler(new DefaultHandler());
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a security feature", e);
        }
    }

    private static Element child(Element parent, String tag) {
        for (Element e : children(parent)) if (e.getTagName().equals(tag)) return e;
        return null;
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e) out.add(e);
        }
        return out;
    }
}
