package org.ctys.grammar;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctys.exit.CtysException;

/**
 * Amounts of data as ctys writes them: 8M, 512K, 1G, 65536 (a bare number is bytes; K, M and G are
 * binary multiples, KiB, MiB and GiB; a trailing B or iB is allowed).
 */
public final class Sizes {
    public static final long KIB = 1024;
    public static final long MIB = 1024 * KIB;
    public static final long GIB = 1024 * MIB;
    private static final Pattern FORM = Pattern.compile("(\\d{1,10})\\s*(?:([KMG])(?:I?B)?|B)?");

    private Sizes() {}

    /** Parses a size between {@code min} and {@code max} bytes; anything else is a usage error naming both. */
    public static long parse(String text, long min, long max) {
        Matcher m = text == null ? null : FORM.matcher(text.trim().toUpperCase(Locale.ROOT));
        String valid = "expected a size from " + format(min) + " to " + format(max) + ", e.g. 8M, 512K, 1G";
        if (m == null || !m.matches()) throw CtysException.usage("bad size '" + text + "': " + valid);
        long n = Long.parseLong(m.group(1));
        long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
            case "K" -> KIB;
            case "M" -> MIB;
            default -> GIB;
        };
        if (n > max / unit || n * unit < min) throw CtysException.usage("size '" + text + "' out of range: " + valid);
        return n * unit;
    }

    /** The exact size in the largest unit that divides it: "8 MiB", "1536 KiB", "100 bytes". */
    public static String format(long bytes) {
        if (bytes >= GIB && bytes % GIB == 0) return bytes / GIB + " GiB";
        if (bytes >= MIB && bytes % MIB == 0) return bytes / MIB + " MiB";
        if (bytes >= KIB && bytes % KIB == 0) return bytes / KIB + " KiB";
        return bytes + (bytes == 1 ? " byte" : " bytes");
    }

    /** A size for people, one decimal: "278.1 MiB", "12.0 KiB", "17 bytes". */
    public static String approximate(long bytes) {
        if (bytes >= GIB) return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) GIB);
        if (bytes >= MIB) return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
        if (bytes >= KIB) return String.format(Locale.ROOT, "%.1f KiB", bytes / (double) KIB);
        return bytes + (bytes == 1 ? " byte" : " bytes");
    }
}
