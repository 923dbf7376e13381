package org.ctys.grammar;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.ctys.exit.CtysException;

/** A 48-bit Ethernet MAC address. Accepts aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff and aabb.ccdd.eeff. */
public final class Mac {
    private static final Pattern COLONS = Pattern.compile("(?i)[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}");
    private static final Pattern DASHES = Pattern.compile("(?i)[0-9a-f]{1,2}(-[0-9a-f]{1,2}){5}");
    private static final Pattern DOTS = Pattern.compile("(?i)[0-9a-f]{4}\\.[0-9a-f]{4}\\.[0-9a-f]{4}");
    private static final Pattern BARE = Pattern.compile("(?i)[0-9a-f]{12}");
    private final byte[] bytes;

    private Mac(byte[] bytes) { this.bytes = bytes; }

    /** Parses a MAC or throws a usage error that names the text and the accepted form. */
    public static Mac parse(String text) {
        Mac mac = tryParse(text);
        if (mac == null) {
            throw CtysException.usage("bad MAC address '" + text + "': expected six hex pairs such as aa:bb:cc:dd:ee:ff");
        }
        return mac;
    }

    /** Parses a MAC, or returns null when the text is not one. */
    public static Mac tryParse(String text) {
        if (text == null) return null;
        String hex;
        if (COLONS.matcher(text).matches() || DASHES.matcher(text).matches()) {
            StringBuilder b = new StringBuilder(12);
            for (String part : text.split("[:-]")) b.append(part.length() == 1 ? "0" + part : part);
            hex = b.toString();
        } else if (DOTS.matcher(text).matches()) {
            hex = text.replace(".", "");
        } else if (BARE.matcher(text).matches()) {
            hex = text;
        } else {
            return null;
        }
        return new Mac(HexFormat.of().parseHex(hex));
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
