package org.ctys.spi;

/**
 * Text that ctys prints about a machine (its messages, states, the first line of a remote error,
 * names from the inventory) with the terminal's control characters made visible, so that what a
 * remote host sends can neither retitle the user's terminal, nor recolour, move or erase ctys's
 * own lines. ESC shows as {@code \e}, BEL as {@code \a}, BS {@code \b}, FF {@code \f}, VT
 * {@code \v}, CR {@code \r}, TAB {@code \t}, LF {@code \n}; every other C0 control, DEL and the
 * C1 controls (U+0080..U+009F, which some terminals obey as CSI, OSC, ...) as {@code \xNN}; the
 * invisible format characters (bidirectional overrides and isolates such as U+202E, which make a
 * terminal show the rest of the line reversed, zero-width marks) and the Unicode line and
 * paragraph separators U+2028/U+2029 (a line break to some readers of {@code -X}) as a backslash, {@code u} and four hex digits
 * ({@code U} and eight above U+FFFF: the invisible tag characters).
 * A backslash stays as it is: the result is for people to read, not to be parsed back.
 *
 * <p>The raw output of a remote command is not text about it and is never passed through here.
 */
public final class ControlChars {

    private ControlChars() {}

    /** For a one-line field (a progress line, a table cell, a -X record): a line break shows as {@code \n}. */
    public static String escape(String s) {
        return escape(s, false);
    }

    /** For text whose line breaks are meant (a multi-line message): LF stays, everything else as {@link #escape}. */
    public static String escapeKeepingLines(String s) {
        return escape(s, true);
    }

    private static String escape(String s, boolean keepLines) {
        if (s == null) return null;
        int first = firstToEscape(s, keepLines);
        if (first < 0) return s;
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, first);
        for (int i = first; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (!hidden(c) || c == '\n' && keepLines) {
                b.appendCodePoint(c);
                continue;
            }
            switch (c) {
                case 0x1b -> b.append("\\e");
                case 0x07 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case 0x0b -> b.append("\\v");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                default -> b.append(c <= 0xff ? String.format("\\x%02x", c) : c <= 0xffff ? String.format("\\u%04x", c)
                        : String.format("\\U%08x", c));
            }
        }
        return b.toString();
    }

    private static int firstToEscape(String s, boolean keepLines) {
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (hidden(c) && !(c == '\n' && keepLines)) return i;
            i += Character.charCount(c);
        }
        return -1;
    }

    /** A control character, or one that changes how the rest of a line shows without showing itself. */
    static boolean hidden(int c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x2028 || c == 0x2029 || Character.getType(c) == Character.FORMAT;
    }

    /** C0 (U+0000..U+001F), DEL and C1 (U+0080..U+009F). */
    public static boolean isControl(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f;
    }
}
