package org.ctys.spi;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Words as a POSIX shell needs them quoted, for dry runs a person may paste into a terminal. Every
 * word a dry run prints that came from the command line or the inventory goes through here, so
 * that a host named {@code $(touch /tmp/x)} shows as a word and is never run.
 */
public final class ShellWords {
    // no glob characters ([ ] * ?), no ~, no quotes, no spaces: such words stand as they are
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9@%+=:,./_-]+");

    private ShellWords() {}

    /**
     * The word as it stands when it is safe, else in single quotes; a word with control characters
     * in {@code $'…'} (POSIX.1-2024, bash, zsh, ksh), whose escapes keep them off the terminal
     * that shows the dry run and give back the very same bytes when pasted.
     */
    public static String quote(String word) {
        if (SAFE.matcher(word).matches()) return word;
        for (int i = 0; i < word.length(); i++) {
            if (ControlChars.isControl(word.charAt(i))) return dollarQuote(word);
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** The words quoted and joined by spaces. */
    public static String join(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            if (b.length() > 0) b.append(' ');
            b.append(quote(w));
        }
        return b.toString();
    }

    private static String dollarQuote(String word) {
        StringBuilder b = new StringBuilder("$'");
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                // not \': a shell without $'…' (dash) would end the quoted text there
                case '\'' -> b.append("\\x27");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case 0x07 -> b.append("\\a");
                case 0x1b -> b.append("\\e");
                default -> {
                    if (!ControlChars.isControl(c)) {
                        b.append(c);
                    } else {
                        // the UTF-8 bytes, so that a C1 control (two bytes) comes back as it was
                        for (byte x : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                            b.append("\\x").append(Character.forDigit((x >> 4) & 0xf, 16))
                                    .append(Character.forDigit(x & 0xf, 16));
                        }
                    }
                }
            }
        }
        return b.append('\'').toString();
    }
}
