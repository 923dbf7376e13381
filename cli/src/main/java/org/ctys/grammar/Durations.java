package org.ctys.grammar;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctys.spi.CtysException;

/** Durations as ctys writes them: 30, 30s, 500ms, 2m, 1h (a bare number is seconds). */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

    private Durations() {}

    public static Duration parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw CtysException.usage("bad duration '" + text + "': expected a number with an optional unit, e.g. 30, 30s, 500ms, 2m, 1h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase();
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** The shortest exact way of writing a duration in this grammar. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
        if (ms % 1000 == 0) return ms / 1000 + "s";
        return ms + "ms";
    }

    /** A positive count, e.g. the tries of PING:40%3. */
    public static int parseCount(String text) {
        if (text != null && text.matches("\\d{1,9}")) {
            int n = Integer.parseInt(text);
            if (n > 0) return n;
        }
        throw CtysException.usage("bad count '" + text + "': expected a positive whole number");
    }
}
