package org.ctys.grammar;

import java.util.Arrays;
import java.util.HexFormat;
import org.ctys.exit.CtysException;

/** A 48-bit Ethernet MAC address. Accepts aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff and aabb.ccdd.eeff. */
public final class Mac {
    private final byte[] bytes;

    private Mac(byte[] bytes) { this.bytes = bytes; }

    /** Parses a MAC or throws a usage error that names the text and the accepted form. */
    public static Mac parse(String text) {
        Mac mac = tryParse(text);
        if (mac == null) {
            throw CtysException.usage("bad MAC address '" + text + "': expected six hex pairs such as aa:bb:cc:dd:ee:ff");
        }
        if (mac.group()) throw CtysException.usage(groupText(text));
        return mac;
    }

    /**
     * A group (multicast or broadcast) address: the lowest bit of its first byte set. No network
     * card has one, so a machine's MAC that is one is a mistake (a typo in the first pair).
     */
    public boolean group() { return (bytes[0] & 1) != 0; }

    /** The error for a group address given as a machine's MAC. */
    public static String groupText(String text) {
        return "MAC address '" + text + "' is a multicast (group) address, which no network card has: its first byte is odd";
    }

    /**
     * Parses a MAC, or returns null when the text is not one: six groups of one or two hex digits
     * separated by ':' or by '-' (one kind), three groups of four separated by '.', or twelve digits.
     * Read character by character, not by regular expressions: an inventory of 10,000 machines
     * reads 10,000 MACs in a JVM that has not compiled anything yet.
     */
    public static Mac tryParse(String text) {
        if (text == null) return null;
        int n = text.length();
        byte[] b = new byte[6];
        // twelve characters may also be a:b:c:d:e:ff
        if (n == 12 && digits(text, 0, 12, b, 0)) return new Mac(b);
        if (n == 14 && text.charAt(4) == '.' && text.charAt(9) == '.') {
            return digits(text, 0, 4, b, 0) && digits(text, 5, 9, b, 2) && digits(text, 10, 14, b, 4) ? new Mac(b) : null;
        }
        char sep = n > 1 && (text.charAt(1) == ':' || text.charAt(1) == '-') ? text.charAt(1)
                : n > 2 && (text.charAt(2) == ':' || text.charAt(2) == '-') ? text.charAt(2) : 0;
        if (sep == 0) return null;
        int pos = 0;
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                if (pos >= n || text.charAt(pos) != sep) return null;
                pos++;
            }
            int hi = pos < n ? hex(text.charAt(pos)) : -1;
            if (hi < 0) return null;
            int lo = pos + 1 < n ? hex(text.charAt(pos + 1)) : -1;
            b[i] = (byte) (lo < 0 ? hi : hi << 4 | lo);
            pos += lo < 0 ? 1 : 2;
        }
        return pos == n ? new Mac(b) : null;
    }

    /** Two hex digits per byte from {@code text[from, to)} into {@code b} at {@code at}; false if one is not hex. */
    private static boolean digits(String text, int from, int to, byte[] b, int at) {
        for (int i = from; i < to; i += 2) {
            int hi = hex(text.charAt(i));
            int lo = hex(text.charAt(i + 1));
            if (hi < 0 || lo < 0) return false;
            b[at++] = (byte) (hi << 4 | lo);
        }
        return true;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /** The MAC of six bytes. */
    public static Mac of(byte[] six) {
        if (six.length != 6) throw new IllegalArgumentException("a MAC has 6 bytes, not " + six.length);
        return new Mac(six.clone());
    }

    public byte[] bytes() { return bytes.clone(); }


    @Override
    public String toString() {
        HexFormat hf = HexFormat.ofDelimiter(":");
        return hf.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) { return o instanceof Mac m && Arrays.equals(bytes, m.bytes); }

    @Override
    public int hashCode() { return Arrays.hashCode(bytes); }
}
