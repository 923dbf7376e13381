package org.ctys.consoled;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * conserver's devicesubst/execsubst/udssubst {@code c=t[n]f[,...]}: each character c in the value is
 * replaced by the console's name (t=c), host (h), replstring (r) or baud (b) as a string (f=s), or its
 * configured port (p) or calculated port (P) as a number (f=d, x, X, a, A: decimal, hexadecimal,
 * base 36), at least n wide (padded with spaces, or zeros when n starts with 0).
 */
final class ConserverSubst {

    record Values(String console, String host, String repl, String baud, int port, int netPort) {}

    private record Rule(char type, int width, boolean zero, char format) {}

    /** The widest padding: a device path is at most this long, and a wider one would only fill memory. */
    static final int MAX_WIDTH = org.ctys.inventory.SerialSettings.MAX_DEVICE_PATH;
    /** The longest result: the longest single argument Linux passes (MAX_ARG_STRLEN), as sh -c's command is. */
    static final int MAX_LENGTH = 128 * 1024;

    private ConserverSubst() {}

    /** @throws IllegalArgumentException naming the part of the specification that is wrong */
    static String apply(String spec, String value, Values v) {
        Map<Character, Rule> rules = new HashMap<>();
        for (String part : spec.split(",", -1)) {
            if (part.length() < 4 || part.charAt(1) != '=' || part.charAt(0) <= ' ') {
                throw new IllegalArgumentException("'" + part + "' is not c=t[n]f");
            }
            char type = part.charAt(2);
            char format = part.charAt(part.length() - 1);
            String width = part.substring(3, part.length() - 1);
            boolean string = "chrb".indexOf(type) >= 0;
            boolean number = type == 'p' || type == 'P';
            if (!width.matches("\\d*") || !(string && format == 's' || number && "dxXaA".indexOf(format) >= 0)) {
                throw new IllegalArgumentException("'" + part + "' is not c=t[n]f (t: c, h, r, b with f s; p, P with f d, x, X, a, A)");
            }
            if (width.replaceFirst("^0+", "").length() > 4 || !width.isEmpty() && Integer.parseInt(width) > MAX_WIDTH) {
                throw new IllegalArgumentException("'" + part + "' pads wider than " + MAX_WIDTH + " characters");
            }
            if (rules.put(part.charAt(0), new Rule(type, width.isEmpty() ? 0 : Integer.parseInt(width),
                    width.startsWith("0"), format)) != null) {
                throw new IllegalArgumentException("'" + part.charAt(0) + "' is substituted twice");
            }
        }
        StringBuilder b = new StringBuilder();
        for (char c : value.toCharArray()) {
            Rule r = rules.get(c);
            b.append(r == null ? String.valueOf(c) : replacement(r, v));
            if (b.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("the value it gives is longer than " + MAX_LENGTH + " characters");
            }
        }
        return b.toString();
    }

    private static String replacement(Rule r, Values v) {
        String s = switch (r.type) {
            case 'c' -> v.console();
            case 'h' -> v.host();
            case 'r' -> v.repl();
            case 'b' -> v.baud();
            default -> {
                int n = (r.type == 'p' ? v.port() : v.netPort()) & 0xffff;
                yield switch (r.format) {
                    case 'x' -> Integer.toHexString(n);
                    case 'X' -> Integer.toHexString(n).toUpperCase(Locale.ROOT);
                    case 'a' -> Integer.toString(n, 36);
                    case 'A' -> Integer.toString(n, 36).toUpperCase(Locale.ROOT);
                    default -> Integer.toString(n);
                };
            }
        };
        if (s == null) s = "";
        StringBuilder pad = new StringBuilder();
        for (int i = s.length(); i < r.width; i++) pad.append(r.zero && "pP".indexOf(r.type) >= 0 ? '0' : ' ');
        return pad + s;
    }
}
