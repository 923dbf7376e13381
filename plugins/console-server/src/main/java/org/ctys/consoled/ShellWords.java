package org.ctys.consoled;

import java.util.List;
import java.util.regex.Pattern;

/** Joins program arguments into a {@code /bin/sh -c} command line that gives the program the same arguments. */
final class ShellWords {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private ShellWords() {}

    static String join(List<String> args) {
        StringBuilder b = new StringBuilder();
        for (String a : args) {
            if (b.length() > 0) b.append(' ');
            b.append(quote(a));
        }
        return b.toString();
    }

    static String quote(String a) {
        if (SAFE.matcher(a).matches()) return a;
        return "'" + a.replace("'", "'\\''") + "'";
    }
}
