package org.ctys.consoled;

/**
 * Splits conman.conf into tokens as conmand's lexer (lex.c) does: '#' comments to the end of the
 * line, a backslash before the newline continues a directive on the next line, strings in single
 * or double quotes that may not span lines, integers, identifiers (letters, digits, '_', not
 * starting with a digit; case-insensitive where they are keywords), any other character alone.
 */
final class ConmanLexer {

    enum Kind { EOL, EOF, UNTERMINATED, INT, WORD, QUOTED, CHAR }

    record Token(Kind kind, String text, int line) {
        boolean is(Kind k) { return kind == k; }

        /** A keyword or an ON/OFF value: an unquoted identifier, any case. */
        boolean isWord(String w) { return kind == Kind.WORD && text.equalsIgnoreCase(w); }

        /** A value conmand takes where it wants a string: quoted, or an unquoted identifier. */
        boolean isString() { return kind == Kind.QUOTED || kind == Kind.WORD; }
    }

    private final String text;
    private int pos;
    private int line = 1;
    private boolean atNewLine;
    private Token pushed;
    /** The line after a quote left open at a backslash, or 0: the writer meant it to go on there. */
    private int ranOnTo;

    ConmanLexer(String text) { this.text = text; }

    /**
     * Whether {@code line} follows a quote left open with a backslash at the end of its line: a string
     * cannot go on to the next line, so that line is read on its own, and may hold the rest of a secret.
     */
    boolean followsOpenQuote(int line) { return ranOnTo != 0 && line == ranOnTo; }

    /** The next call returns this token again (one token of look-ahead). */
    void pushBack(Token t) { pushed = t; }

    Token next() {
        if (pushed != null) {
            Token t = pushed;
            pushed = null;
            return t;
        }
        if (atNewLine) {
            line++;
            atNewLine = false;
        }
        while (true) {
            if (pos >= text.length()) return new Token(Kind.EOF, "", line);
            char c = text.charAt(pos);
            switch (c) {
                case ' ', '\t', '\u000b', '\f' -> pos++;
                case '#' -> {
                    while (pos < text.length() && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') pos++;
                }
                case '\r', '\n' -> {
                    pos += c == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n' ? 2 : 1;
                    atNewLine = true;
                    return new Token(Kind.EOL, "\n", line);
                }
                case '"', '\'' -> { return quoted(c); }
                case '\\' -> {
                    if (continuation()) continue;
                    return other();
                }
                default -> { return other(); }
            }
        }
    }

    private boolean continuation() {
        if (text.startsWith("\\\n", pos)) {
            pos += 2;
        } else if (text.startsWith("\\\r\n", pos)) {
            pos += 3;
        } else {
            return false;
        }
        if (line == ranOnTo) ranOnTo++;     // the line after an open quote goes on: so does what it may hold
        line++;
        return true;
    }

    private Token quoted(char quote) {
        int end = pos + 1;
        while (end < text.length() && text.charAt(end) != quote && text.charAt(end) != '\n' && text.charAt(end) != '\r') end++;
        if (end < text.length() && text.charAt(end) == quote) {
            String s = text.substring(pos + 1, end);
            pos = end + 1;
            return new Token(Kind.QUOTED, s, line);
        }
        if (end < text.length() && end > pos + 1 && text.charAt(end - 1) == '\\') ranOnTo = line + 1;
        pos = end;
        return new Token(Kind.UNTERMINATED, "", line);
    }

    private Token other() {
        char c = text.charAt(pos);
        int start = pos;
        if (Character.isLetter(c) && c < 0x80 || c == '_') {
            pos++;
            while (pos < text.length() && (isAsciiLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
            return new Token(Kind.WORD, text.substring(start, pos), line);
        }
        boolean signed = (c == '-' || c == '+') && pos + 1 < text.length() && isDigit(text.charAt(pos + 1));
        if (isDigit(c) || signed) {
            pos++;
            while (pos < text.length() && isDigit(text.charAt(pos))) pos++;
            return new Token(Kind.INT, text.substring(start, pos), line);
        }
        pos++;
        return new Token(Kind.CHAR, String.valueOf(c), line);
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private static boolean isAsciiLetterOrDigit(char c) {
        return c < 0x80 && (Character.isLetterOrDigit(c));
    }
}
