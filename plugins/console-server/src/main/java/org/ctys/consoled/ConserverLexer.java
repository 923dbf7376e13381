package org.ctys.consoled;

/**
 * Splits conserver.cf into words as conserver's GetWord() (cutil.c) does: '{', '}' and ';' are
 * tokens, '#' starts a comment, a backslash makes the next character literal, double quotes make
 * everything but \" literal; white space separates words only where a block type or keyword is
 * expected (a block name or value may contain spaces, trimmed at its ends). A comment line
 * {@code #include FILE} starting in column 0 includes another file.
 */
final class ConserverLexer {

    enum Kind { WORD, OPEN, CLOSE, SEMI, INCLUDE, END }

    /** @param line where the token starts; quoted: it had double quotes (so "" is an empty word) */
    record Token(Kind kind, String text, int line) {}

    private final String text;
    private int pos;
    private int line = 1;
    /** The line of a double quote still open at the end of the file, or 0. */
    private int unterminatedQuote;

    ConserverLexer(String text) { this.text = text; }

    int unterminatedQuote() { return unterminatedQuote; }

    /** @param spaceOk a block name or value is expected: white space inside it is kept */
    Token next(boolean spaceOk) {
        StringBuilder word = new StringBuilder();
        boolean sawQuote = false;
        int start = -1;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '#' && (pos == 0 || text.charAt(pos - 1) == '\n') && text.startsWith("#include", pos)
                    && pos + 8 < text.length() && Character.isWhitespace(text.charAt(pos + 8)) && word.length() == 0 && !sawQuote) {
                int end = text.indexOf('\n', pos);
                if (end < 0) end = text.length();
                String file = text.substring(pos + 8, end).strip();
                int at = line;
                pos = end;
                if (!file.isEmpty()) return new Token(Kind.INCLUDE, file, at);
                continue;
            }
            if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') pos++;
                continue;
            }
            if (c == '\n') line++;
            if (c == '\\') {
                if (start < 0) start = line;
                pos++;
                if (pos < text.length()) {
                    if (text.charAt(pos) == '\n') line++;
                    word.append(text.charAt(pos++));
                }
                continue;
            }
            if (c == '"') {
                if (start < 0) start = line;
                sawQuote = true;
                quoted(word);
                continue;
            }
            if (Character.isWhitespace(c)) {
                pos++;
                if (word.length() == 0) continue;
                if (spaceOk) {
                    word.append(c);
                    continue;
                }
                return new Token(Kind.WORD, word.toString().stripTrailing(), start);
            }
            if (c == '{' || c == '}' || c == ';') {
                if (word.length() > 0 || sawQuote) return new Token(Kind.WORD, word.toString().stripTrailing(), start);
                pos++;
                return new Token(c == '{' ? Kind.OPEN : c == '}' ? Kind.CLOSE : Kind.SEMI, String.valueOf(c), line);
            }
            if (start < 0) start = line;
            word.append(c);
            pos++;
        }
        if (word.length() > 0 || sawQuote) return new Token(Kind.WORD, word.toString().stripTrailing(), start);
        return new Token(Kind.END, "", line);
    }

    /** Inside double quotes: every character literal except \" (a quote); a backslash before anything else is kept. */
    private void quoted(StringBuilder word) {
        int opened = line;
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '\n') line++;
            if (c == '"') return;
            if (c == '\\' && pos < text.length() && text.charAt(pos) == '"') {
                word.append('"');
                pos++;
            } else {
                word.append(c);
            }
        }
        unterminatedQuote = opened;
    }
}
