package org.ctys.consoled;

import java.util.ArrayList;
import java.util.List;

/**
 * A console's {@code dev=} string split into words as conmand's parse_string() does: words are
 * separated by white space; a word in single or double quotes ends at the matching quote followed by
 * white space or the end; %N becomes the console's name except inside single quotes.
 */
final class ConmanDev {

    private ConmanDev() {}

    /** @throws IllegalArgumentException when a quoted word is not closed */
    static List<String> words(String dev, String console) {
        List<String> words = new ArrayList<>();
        int p = 0;
        int n = dev.length();
        while (true) {
            while (p < n && Character.isWhitespace(dev.charAt(p))) p++;
            if (p >= n) return words;
            char c = dev.charAt(p);
            if (c == '"' || c == '\'') {
                int q = p + 1;
                while (q < n && !(dev.charAt(q) == c && (q + 1 == n || Character.isWhitespace(dev.charAt(q + 1))))) q++;
                if (q >= n) throw new IllegalArgumentException("a word in " + c + "quotes" + c + " is not closed");
                String w = dev.substring(p + 1, q);
                words.add(c == '\'' ? w : w.replace("%N", console));
                p = q + 1;
            } else {
                int q = p;
                while (q < n && !Character.isWhitespace(dev.charAt(q))) q++;
                words.add(dev.substring(p, q).replace("%N", console));
                p = q;
            }
        }
    }

    /** A log name's conversions that depend on the console: %N its name, %D its device's base name, %% a '%'. */
    static String logName(String pattern, String console, String device) {
        String base = device.substring(device.lastIndexOf('/') + 1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '%' && i + 1 < pattern.length()) {
                char k = pattern.charAt(i + 1);
                if (k == 'N' || k == 'D' || k == '%') {
                    b.append(k == 'N' ? sanitized(console) : k == 'D' ? sanitized(base) : "%");
                    i++;
                    continue;
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    /** conman replaces '/' and unprintable characters in %N and %D with '_'. */
    private static String sanitized(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) b.append(c == '/' || c < 0x20 || c == 0x7f ? '_' : c);
        return b.toString();
    }
}
