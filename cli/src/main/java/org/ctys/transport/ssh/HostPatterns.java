package org.ctys.transport.ssh;

import java.util.List;
import java.util.Locale;

/**
 * Host patterns as OpenSSH matches them (match.c), for ssh_config's Host lines and known_hosts
 * alike: {@code *} any run of characters, {@code ?} one character, case-insensitive, and a list
 * matches when some pattern matches and no {@code !negated} one does. Brackets and colons are
 * plain characters: {@code [host]:port} is matched as a string, so {@code *} covers every port.
 */
final class HostPatterns {

    enum Verdict { NO_MATCH, MATCH, NEGATED }

    private HostPatterns() {
    }

    /** Matches {@code name} against a list of patterns (already split, e.g. on commas or spaces). */
    static Verdict matchList(String name, List<String> patterns) {
        String n = name.toLowerCase(Locale.ROOT);
        boolean positive = false;
        for (String raw : patterns) {
            boolean negated = raw.startsWith("!");
            String p = (negated ? raw.substring(1) : raw).toLowerCase(Locale.ROOT);
            if (p.isEmpty() || !matches(n, p)) {
                continue;
            }
            if (negated) {
                return Verdict.NEGATED; // a negated match wins over any positive one
            }
            positive = true;
        }
        return positive ? Verdict.MATCH : Verdict.NO_MATCH;
    }

    /** Matches a comma-separated list such as a known_hosts host field. */
    static Verdict matchCommaList(String name, String commaList) {
        return matchList(name, List.of(commaList.split(",", -1)));
    }

    /** One wildcard pattern against a whole name, both already in one case; iterative, no backtracking blow-up. */
    static boolean matches(String name, String pattern) {
        int n = 0;
        int p = 0;
        int starP = -1;
        int starN = 0;
        while (n < name.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))) {
                n++;
                p++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starN = n;
            } else if (starP >= 0) {
                p = starP + 1;
                n = ++starN;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
