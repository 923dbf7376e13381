package org.ctys.inventory;

/**
 * YAML text ctys writes for a person to paste or keep (inventory lines, an imported console
 * configuration): a string as a double-quoted scalar that every YAML 1.1 reader, SnakeYAML under
 * Jackson included, reads back as exactly that string, on one line whatever it holds.
 */
public final class YamlText {
    private YamlText() {}

    /** {@code s} double-quoted: quotes and backslashes escaped, line breaks and other control characters as escapes. */
    public static String doubleQuoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (unsafe(c)) b.append(String.format(c <= 0xff ? "\\x%02x" : c <= 0xffff ? "\\u%04x" : "\\U%08x", c));
                    else b.appendCodePoint(c);
                }
            }
        }
        return b.append('"').toString();
    }

    /** {@code s} for a {@code # comment}: what would end the line (and let the rest be read as YAML) as '?'. */
    public static String comment(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (unsafe(c)) b.append('?');
            else b.appendCodePoint(c);
        }
        return b.toString();
    }

    /**
     * C0, DEL, C1 (NEL among them) and U+2028/2029: line breaks or non-printables to a YAML reader;
     * and the invisible format characters (a bidirectional override shows the rest of the line
     * reversed in an editor or a terminal), so that what is pasted reads as what it is.
     */
    private static boolean unsafe(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || Character.getType(c) == Character.FORMAT;
    }
}
