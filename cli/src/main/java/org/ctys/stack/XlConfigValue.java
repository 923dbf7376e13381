package org.ctys.stack;

/**
 * A string value of an xl config file ({@code xl.cfg(5)}): in double or single quotes, with the
 * backslash escapes of libxlu's {@code xlu__cfgl_dequote} that a name may need.
 */
final class XlConfigValue {
    private XlConfigValue() {}

    /** The string {@code text} starts with (after blanks), then an optional ";" and "# comment". */
    static String string(String text, String line) {
        int i = skipBlanks(text, 0);
        if (i >= text.length() || (text.charAt(i) != '"' && text.charAt(i) != '\'')) throw bad(line, "is not a quoted string");
        char quote = text.charAt(i++);
        StringBuilder out = new StringBuilder();
        while (true) {
            if (i >= text.length()) throw bad(line, "has no closing quote");
            char c = text.charAt(i++);
            if (c == quote) break;
            if (c != '\\') { out.append(c); continue; }
            if (i >= text.length()) throw bad(line, "ends in a backslash");
            char e = text.charAt(i++);
            switch (e) {
                case '"', '\'', '\\' -> out.append(e);
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                default -> throw bad(line, "has an escape ctys does not read (\\" + e + ")");
            }
        }
        i = skipBlanks(text, i);
        if (i < text.length() && text.charAt(i) == ';') i = skipBlanks(text, i + 1);
        if (i < text.length() && text.charAt(i) != '#') throw bad(line, "has more after its string");
        return out.toString();
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
        return i;
    }

    private static IllegalArgumentException bad(String line, String why) {
        return new IllegalArgumentException("an xl config's name " + why + ": \"" + line + "\"");
    }
}
