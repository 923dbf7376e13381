package org.ctys.spi;

import java.util.regex.Pattern;

/** Words as a POSIX shell needs them quoted, for dry runs a person may paste into a terminal. */
public final class ShellWords {
    // no glob characters ([ ] * ?), no ~, no quotes, no spaces: such words stand as they are
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9@%+=:,./_-]+");

    private ShellWords() {}

    public static String quote(String word) {
        return SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
