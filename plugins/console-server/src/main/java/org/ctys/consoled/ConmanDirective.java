package org.ctys.consoled;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ctys.consoled.ConmanLexer.Kind;
import org.ctys.consoled.ConmanLexer.Token;

/**
 * One directive of conman.conf (SERVER, GLOBAL or CONSOLE) with its key=value pairs, read with
 * conmand's grammar (server-conf.c): each key takes a string, an integer, ON/OFF, or (timestamp)
 * an integer with an optional m|h|d unit. A malformed directive is dropped whole, as conmand does.
 */
record ConmanDirective(String kind, int line, Map<String, Value> values) {

    /** A key's value as written (never shown for ipmiopts, which may hold a password) and its line. */
    record Value(String text, int line) {}

    private enum Type { STRING, EMPTY_OK, INT, ON_OFF, INTERVAL }

    private static final Map<String, Map<String, Type>> KEYS = Map.of(
            "server", keys("coredump", Type.ON_OFF, "coredumpdir", Type.EMPTY_OK, "execpath", Type.EMPTY_OK,
                    "keepalive", Type.ON_OFF, "logdir", Type.EMPTY_OK, "logfile", Type.STRING, "loopback", Type.ON_OFF,
                    "nofile", Type.INT, "pidfile", Type.STRING, "port", Type.INT, "resetcmd", Type.STRING,
                    "syslog", Type.STRING, "tcpwrappers", Type.ON_OFF, "timestamp", Type.INTERVAL),
            "global", keys("log", Type.EMPTY_OK, "logopts", Type.STRING, "seropts", Type.STRING,
                    "ipmiopts", Type.STRING, "testopts", Type.STRING),
            "console", keys("name", Type.STRING, "dev", Type.STRING, "log", Type.EMPTY_OK, "logopts", Type.STRING,
                    "seropts", Type.STRING, "ipmiopts", Type.EMPTY_OK, "testopts", Type.EMPTY_OK));

    static final Set<String> KINDS = KEYS.keySet();

    private static Map<String, Type> keys(Object... pairs) {
        Map<String, Type> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], (Type) pairs[i + 1]);
        return m;
    }

    /** Thrown with the line and the problem; the caller skips the rest of the line. */
    static final class Malformed extends Exception {
        final int line;

        Malformed(int line, String problem) {
            super(problem, null, false, false);
            this.line = line;
        }
    }

    /**
     * The directive is malformed at {@code t}. A line end there is given back to the lexer: the
     * caller skips to the end of the line, and must stop at this one, not at the next line's (conmand
     * looks at the token it stopped on before it skips).
     */
    private static Malformed malformed(ConmanLexer lex, Token t, String problem) {
        if (t.is(Kind.EOL) || t.is(Kind.EOF)) lex.pushBack(t);
        return new Malformed(t.line(), problem);
    }

    /** In place of a word on a line after a quote left open with a backslash (see {@link ConmanLexer#followsOpenQuote}). */
    static final String AFTER_OPEN_QUOTE = "(not shown: the line before ends inside a quote, and it may be the rest of that value)";

    /**
     * Reads the pairs after the directive's keyword up to the end of its line. Once a value that may
     * hold a secret is read (ipmiopts; a dev= command with a password, or a program that takes one), no
     * message quotes a word or names a keyword after it on the line: a quote inside the secret ends the
     * string, and the rest of the secret is read as keywords and values. Nor does one on a line that
     * follows a quote left open ({@code afterOpenQuote}).
     */
    static ConmanDirective read(String kind, int line, ConmanLexer lex, boolean afterOpenQuote) throws Malformed {
        Map<String, Type> keys = KEYS.get(kind);
        Map<String, Value> values = new LinkedHashMap<>();
        String secretKey = null;
        while (true) {
            Token t = lex.next();
            if (t.is(Kind.EOL) || t.is(Kind.EOF)) return new ConmanDirective(kind, line, values);
            if (t.is(Kind.UNTERMINATED)) throw new Malformed(t.line(), "unterminated quote");
            String key = t.kind() == Kind.WORD ? t.text().toLowerCase(Locale.ROOT) : null;
            if (key == null || !keys.containsKey(key)) {
                String shown = secretKey != null ? "(not shown: it follows the value of " + secretKey + ", and may be part of it)"
                        : afterOpenQuote ? AFTER_OPEN_QUOTE : "'" + t.text() + "'";
                throw new Malformed(t.line(), "unknown keyword " + shown + " in a " + kind.toUpperCase(Locale.ROOT)
                        + " directive; valid: " + String.join(", ", keys.keySet()));
            }
            Value v;
            try {
                Token eq = lex.next();
                if (!(eq.is(Kind.CHAR) && eq.text().equals("="))) {
                    throw malformed(lex, eq, "expected '=' after " + key);
                }
                v = value(key, keys.get(key), lex);
            } catch (Malformed m) {
                if (secretKey == null && !afterOpenQuote) throw m;
                throw new Malformed(m.line, "a keyword " + (secretKey != null ? "after the value of " + secretKey
                        : "on a line after a quote left open") + " is not followed by '=' and a value (not shown: it may be"
                        + " part of that value)");
            }
            values.put(key, v);
            if (secretKey == null && (key.equals("ipmiopts") || key.equals("dev") && CommandSecrets.mayHoldSecret(v.text()))) {
                secretKey = key;
            }
        }
    }

    private static Value value(String key, Type type, ConmanLexer lex) throws Malformed {
        Token v = lex.next();
        if (v.is(Kind.UNTERMINATED)) throw new Malformed(v.line(), "unterminated quote in the value of " + key);
        switch (type) {
            case STRING, EMPTY_OK -> {
                if (!v.isString() || type == Type.STRING && v.text().isBlank()) {
                    throw malformed(lex, v, key + " needs a string" + (type == Type.STRING ? " that is not empty" : "")
                            + ", such as " + key + "=\"...\"");
                }
                return new Value(v.text(), v.line());
            }
            case INT -> {
                if (!v.is(Kind.INT) || v.text().startsWith("-")) throw malformed(lex, v, key + " needs a whole number");
                return new Value(v.text(), v.line());
            }
            case ON_OFF -> {
                if (!v.isWord("on") && !v.isWord("off")) throw malformed(lex, v, key + " takes ON or OFF");
                return new Value(v.text().toLowerCase(Locale.ROOT), v.line());
            }
            default -> {
                return interval(key, v, lex);
            }
        }
    }

    /** {@code timestamp=<n>[m|h|d]}: minutes unless a unit follows; the result in ctys's form, e.g. 90m, 2h, 0. */
    private static Value interval(String key, Token v, ConmanLexer lex) throws Malformed {
        if (!v.is(Kind.INT) || v.text().startsWith("-")) throw malformed(lex, v, key + " needs a whole number of minutes");
        String n = ImportedConfig.digits(v.text());
        Token unit = lex.next();
        if (unit.is(Kind.EOL) || unit.is(Kind.EOF)) {
            lex.pushBack(unit);
            return new Value(n.equals("0") ? "0" : n + "m", v.line());
        }
        String u = unit.kind() == Kind.WORD ? unit.text().toLowerCase(Locale.ROOT) : "";
        if (!u.equals("m") && !u.equals("h") && !u.equals("d")) {
            throw new Malformed(unit.line(), "expected m, h or d after " + key + "=" + v.text());
        }
        return new Value(n.equals("0") ? "0" : n + u, v.line());
    }
}
