package org.ctys.grammar;

import java.util.ArrayList;
import java.util.List;
import org.ctys.exit.CtysException;

/**
 * The value of {@code -a}: {@code ACTION[=SUBOPTIONS]}, split into the action name and raw suboptions.
 *
 * <p>Only the syntax is checked here; whether the action and the keys exist is up to the plugin
 * named by {@code -t}, which is why the action is kept as typed.
 *
 * <p>Syntax of SUBOPTIONS: comma-separated; each is a flag ({@code REBOOT}) or {@code KEY:VALUE}.
 * The key ends at the first unescaped colon, so later colons belong to the value and a MAC
 * ({@code M:aa:bb:cc:dd:ee:ff}) stays one value. {@code %} joins several values of one key
 * ({@code PING:40%3}). Escapes: {@code ,,} and {@code \,} are a comma, {@code ::} and {@code \:}
 * a colon, {@code %%} and {@code \%} a percent, {@code \\} a backslash. A backslash before any
 * other character stands for itself, so paths such as {@code C:\vm} need no doubling.
 *
 * <p>IPv6 addresses: an address in brackets is taken as written anywhere in a value
 * ({@code t:[::1]}, {@code t:[fe80::1%eth0]}); so is a whole value that is an IPv6 address as typed
 * ({@code broadcast:ff02::1}, {@code t:fe80::1%eth0}), whose {@code ::} and {@code %} are then the
 * address's, not escapes. Anywhere else {@code ::} stays the escaped colon; to join an address
 * with another value by {@code %}, bracket it: {@code [fe80::1]%3}.
 */
public record ActionArgument(String action, List<RawSuboption> suboptions) {
    /** Linux's limit of one argument (MAX_ARG_STRLEN); only an in-process caller can pass more. */
    public static final int MAX_LENGTH = 131_072;
    public ActionArgument {
        suboptions = List.copyOf(suboptions);
    }

    /** Parses the text given to {@code -a}; every malformed part is a usage error naming it. */
    public static ActionArgument parse(String text) {
        if (text == null) {
            throw CtysException.usage("missing action name in '-a': expected ACTION[=SUBOPTIONS], e.g. -a create=wol");
        }
        if (text.length() > MAX_LENGTH) {
            throw CtysException.usage("'-a " + NodeSet.shorten(text) + "' is longer than " + MAX_LENGTH
                    + " characters, the most one argument may have on Linux");
        }
        int eq = text.indexOf('=');
        String action = eq < 0 ? text : text.substring(0, eq);
        if (action.isBlank()) {
            throw CtysException.usage("missing action name in '-a " + text
                    + "': expected ACTION[=SUBOPTIONS], e.g. -a create=wol");
        }
        List<RawSuboption> subs = eq < 0 ? List.of() : parseSuboptions(text.substring(eq + 1));
        return new ActionArgument(action, subs);
    }

    /**
     * Writes {@code value} so that it parses back to exactly that text, as a key or as one value.
     * Colons are escaped too, which keeps the result safe in key position; an empty value cannot
     * be written at all ({@code KEY:} is an error), so the empty string yields the empty string.
     */
    public static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case ',' -> b.append("\\,");
                case ':' -> b.append("\\:");
                // not "%%": a value ending in '%' followed by the '%' that joins the next value
                // would read as "%%" + "%" the other way round
                case '%' -> b.append("\\%");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    // Lexed characters are kept as ints: a literal char, or one of these when unescaped
    // (the comma needs no marker because it ends the suboption on the spot).
    private static final int COLON = -1;
    private static final int PERCENT = -2;

    private static List<RawSuboption> parseSuboptions(String text) {
        List<RawSuboption> result = new ArrayList<>();
        List<Integer> symbols = new ArrayList<>();
        int tokenStart = 0;
        int i = 0;
        boolean inValue = false; // the key's colon has been seen
        while (i < text.length()) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            boolean hasNext = i + 1 < text.length();
            if (c == ':' && !inValue) {
                // the key's colon, followed by a whole value that is an IPv6 address as typed:
                // its "::" and "%zone" are the address's own, not escapes (broadcast:ff02::1)
                int end = wholeValueEnd(text, i + 1);
                if (end >= 0 && Names.isIpv6(text.substring(i + 1, end))) {
                    symbols.add(COLON);
                    inValue = true;
                    text.substring(i + 1, end).chars().forEach(symbols::add);
                    i = end;
                    continue;
                }
            }
            if (c == '[' && inValue) {
                // an IPv6 address in brackets is taken as written, anywhere in a value (t:[::1])
                int close = indexWithin(text, ']', i + 1);
                if (close > 0 && Names.isIpv6(text.substring(i + 1, close))) {
                    text.substring(i, close + 1).chars().forEach(symbols::add);
                    i = close + 1;
                    continue;
                }
            }
            if (c == '\\') {
                if (!hasNext) {
                    throw CtysException.usage("suboption '" + text.substring(tokenStart)
                            + "' ends with a lone backslash: write \\\\ for a backslash");
                }
                if (next == ',' || next == ':' || next == '%' || next == '\\') {
                    symbols.add((int) next);
                    i += 2;
                } else {
                    symbols.add((int) '\\');
                    i += 1;
                }
            } else if (c == ',' || c == ':' || c == '%') {
                if (next == c && hasNext) {
                    symbols.add((int) c);
                    i += 2;
                } else if (c == ',') {
                    addSuboption(result, symbols, text.substring(tokenStart, i));
                    symbols.clear();
                    inValue = false;
                    tokenStart = i + 1;
                    i += 1;
                } else {
                    symbols.add(c == ':' ? COLON : PERCENT);
                    if (c == ':') inValue = true;
                    i += 1;
                }
            } else {
                symbols.add((int) c);
                i += 1;
            }
        }
        addSuboption(result, symbols, text.substring(tokenStart));
        return result;
    }

    /** Where the suboption whose value starts at {@code from} ends (its ',' or the end), or -1 after an escaped ",,". */
    private static int wholeValueEnd(String text, int from) {
        int comma = indexWithin(text, ',', from);
        if (comma < 0) return text.length() - from <= LONGEST_IPV6 ? text.length() : -1;
        return comma + 1 < text.length() && text.charAt(comma + 1) == ',' ? -1 : comma;
    }

    // An IPv6 address is short: looking no further keeps parsing linear whatever the text holds.
    private static final int LONGEST_IPV6 = 64;

    /** The index of {@code c} within {@link #LONGEST_IPV6} characters from {@code from}, or -1. */
    private static int indexWithin(String text, char c, int from) {
        int end = Math.min(text.length(), from + LONGEST_IPV6 + 1);
        for (int k = from; k < end; k++) if (text.charAt(k) == c) return k;
        return -1;
    }

    private static void addSuboption(List<RawSuboption> into, List<Integer> symbols, String token) {
        if (symbols.isEmpty()) {
            return; // an empty suboption, e.g. after a trailing comma, says nothing
        }
        int colon = symbols.indexOf(COLON);
        List<Integer> keyPart = colon < 0 ? symbols : symbols.subList(0, colon);
        if (keyPart.contains(PERCENT)) {
            throw CtysException.usage("suboption '" + token
                    + "' has '%' in its key: '%' joins values (KEY:40%3); write %% for a literal percent");
        }
        String key = literal(keyPart);
        if (key.isEmpty()) {
            throw CtysException.usage("suboption '" + token + "' has no key before ':': expected KEY:VALUE or FLAG");
        }
        if (colon < 0) {
            into.add(new RawSuboption(key, List.of(), token));
            return;
        }
        List<Integer> valuePart = symbols.subList(colon + 1, symbols.size());
        if (valuePart.isEmpty()) {
            throw CtysException.usage("suboption '" + token + "' has no value: expected " + key
                    + ":VALUE, or " + key + " alone if it is a flag");
        }
        List<String> values = new ArrayList<>();
        int start = 0;
        for (int j = 0; j <= valuePart.size(); j++) {
            if (j == valuePart.size() || valuePart.get(j) == PERCENT) {
                String piece = literal(valuePart.subList(start, j));
                if (piece.isEmpty()) {
                    throw CtysException.usage("suboption '" + token
                            + "' has an empty value next to '%': expected values joined by % such as PING:40%3,"
                            + " or %% for a literal percent");
                }
                values.add(piece);
                start = j + 1;
            }
        }
        into.add(new RawSuboption(key, values, token));
    }

    // Colons after the key's colon are plain text, which is what keeps a MAC in one piece.
    private static String literal(List<Integer> symbols) {
        StringBuilder b = new StringBuilder(symbols.size());
        for (int s : symbols) {
            b.append(s == COLON ? ':' : s == PERCENT ? '%' : (char) s);
        }
        return b.toString();
    }
}
