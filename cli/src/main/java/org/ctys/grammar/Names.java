package org.ctys.grammar;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** What user names, host names, IPv4 and IPv6 addresses may look like, in one place for every reader. */
public final class Names {
    // Never a leading '-', so a user cannot turn into an ssh option.
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]*");

    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    // 45 characters of ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255, '%' and a zone of 15
    private static final int MAX_IPV6 = 61;

    public static final String USER_FORM = "letters, digits, '.', '-' and '_', not starting with '-'";

    private Names() {}

    public static boolean isUser(String s) { return s != null && USER.matcher(s).matches(); }

    /**
     * Four numbers 0-255 separated by dots, without leading zeros: "010.1.1.1" is 10.1.1.1 to Java
     * but 8.1.1.1 to the C library's inet_aton (octal), which ssh and ping use; glibc's inet_pton
     * refuses it. A name two programs read as two machines is no address.
     */
    public static boolean isIpv4(String s) {
        if (s == null) return false;
        int pos = 0;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (pos >= s.length() || s.charAt(pos) != '.') return false;
                pos++;
            }
            int value = 0;
            int digits = 0;
            while (pos < s.length() && isDigit(s.charAt(pos)) && digits < 4) {
                value = value * 10 + s.charAt(pos++) - '0';
                digits++;
            }
            if (digits < 1 || digits > 3 || value > 255 || digits > 1 && s.charAt(pos - digits) == '0') return false;
        }
        return pos == s.length();
    }

    /**
     * An IPv6 address as RFC 4291 writes it, without brackets: eight groups of one to four hex
     * digits, or fewer around one {@code ::}, the last two groups optionally as dotted IPv4
     * ({@code ::ffff:192.0.2.1}); then optionally {@code %ZONE}, the interface of a link-local
     * address ({@code fe80::1%eth0}) as the kernel names it (up to 15 letters, digits, '.', '-', '_').
     */
    public static boolean isIpv6(String s) {
        if (s == null || s.length() > MAX_IPV6) return false;
        String addr = s;
        int pct = s.indexOf('%');
        if (pct >= 0) {
            if (!ZONE.matcher(s.substring(pct + 1)).matches()) return false;
            addr = s.substring(0, pct);
        }
        int gap = addr.indexOf("::");
        if (gap >= 0 && addr.indexOf("::", gap + 1) >= 0) return false;
        List<String> groups = new ArrayList<>();
        if (gap < 0) {
            groups.addAll(List.of(addr.split(":", -1)));
        } else {
            if (gap > 0) groups.addAll(List.of(addr.substring(0, gap).split(":", -1)));
            if (gap + 2 < addr.length()) groups.addAll(List.of(addr.substring(gap + 2).split(":", -1)));
        }
        // dotted IPv4 may only be what is written last
        boolean ipv4Last = gap < 0 || gap + 2 < addr.length();
        int count = 0;
        for (int i = 0; i < groups.size(); i++) {
            String g = groups.get(i);
            if (HEX_GROUP.matcher(g).matches()) {
                count++;
            } else if (ipv4Last && i == groups.size() - 1 && isIpv4(g)) {
                count += 2;
            } else {
                return false;
            }
        }
        return gap < 0 ? count == 8 : count <= 7;
    }

    /** The address inside {@code [ ]} when {@code s} is a bracketed IPv6 address, else null. */
    public static String bracketedIpv6(String s) {
        if (s == null || s.length() < 2 || s.charAt(0) != '[' || s.charAt(s.length() - 1) != ']') return null;
        String inner = s.substring(1, s.length() - 1);
        return isIpv6(inner) ? inner : null;
    }

    /** The host as ctys carries it (an IPv6 address without brackets), or null when {@code text} names none. */
    public static String host(String text) {
        if (text == null || text.isEmpty()) return null;
        if (isHostOrIpv6(text)) return text;
        return bracketedIpv6(text);
    }

    /** {@code host} as it is written before a port or a guest: an IPv6 address in brackets. */
    public static String bracketIfIpv6(String host) {
        return isIpv6(host) ? "[" + host + "]" : host;
    }

    /** A host name, an IPv4 address or an IPv6 address (unbracketed, as ctys carries hosts). */
    public static boolean isHostOrIpv6(String s) {
        return isHost(s) || isIpv6(s);
    }

    /** An IPv4 address, or a DNS name whose labels are letters, digits, '-' and '_' (not all digits and dots). */
    public static boolean isHost(String s) {
        if (s == null || s.isEmpty() || s.length() > 253) return false;
        // by hand, not by regular expressions: an inventory of 10,000 machines checks 10,000 names
        // in a JVM that has not compiled anything yet
        boolean dotted = true;
        for (int i = 0; i < s.length() && dotted; i++) dotted = s.charAt(i) == '.' || isDigit(s.charAt(i));
        if (dotted) return isIpv4(s);
        int start = 0;
        while (true) {
            int dot = s.indexOf('.', start);
            int end = dot < 0 ? s.length() : dot;
            if (!isLabel(s, start, end)) return false;
            if (dot < 0) return true;
            start = dot + 1;
        }
    }

    /** {@code s[from, to)} is 1 to 63 letters, digits, '-' and '_', neither starting nor ending with '-'. */
    private static boolean isLabel(String s, int from, int to) {
        if (to - from < 1 || to - from > 63 || s.charAt(from) == '-' || s.charAt(to - 1) == '-') return false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_' || c == '-')) return false;
        }
        return true;
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }
}
