package org.ctys.grammar;

import java.util.regex.Pattern;

/** What user names, host names and IPv4 addresses may look like, in one place for every reader. */
public final class Names {
    // Never a leading '-', so a user cannot turn into an ssh option.
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]*");
    private static final Pattern DOTTED = Pattern.compile("[0-9.]+");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");

    public static final String USER_FORM = "letters, digits, '.', '-' and '_', not starting with '-'";

    private Names() {}

    public static boolean isUser(String s) { return s != null && USER.matcher(s).matches(); }

    /** Four numbers 0-255 separated by dots. */
    public static boolean isIpv4(String s) {
        if (s == null) return false;
        var m = IPV4.matcher(s);
        if (!m.matches()) return false;
        for (int i = 1; i <= 4; i++) if (Integer.parseInt(m.group(i)) > 255) return false;
        return true;
    }

    /** An IPv4 address, or a DNS name whose labels are letters, digits, '-' and '_' (not all digits and dots). */
    public static boolean isHost(String s) {
        if (s == null || s.isEmpty() || s.length() > 253) return false;
        if (DOTTED.matcher(s).matches()) return isIpv4(s);
        for (String label : s.split("\\.", -1)) if (!LABEL.matcher(label).matches()) return false;
        return true;
    }
}
