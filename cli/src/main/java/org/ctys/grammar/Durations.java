package org.ctys.grammar;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctys.exit.CtysException;

/** Durations as ctys writes them: 30, 30s, 500ms, 2m, 1h (a bare number is seconds). */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

    /**
     * The longest duration ctys accepts anywhere (a timeout, a delay, tries times their spacing):
     * a year. Nothing ctys waits for takes longer, and every bound then fits the engine's
     * nanosecond arithmetic with room to spare.
     */
    public static final Duration MAX = Duration.ofDays(365);
    /** The most tries a count may ask for (PING:<n>%<s>, SSHPING:<n>%<s>). */
    public static final int MAX_COUNT = 100_000;

    private static final String MAX_TEXT = "8760h (365 days)";

    private Durations() {}

    /** A duration of 0 up to {@link #MAX}; anything else is a usage error naming the text and the limit. */
    public static Duration parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw CtysException.usage("bad duration '" + text + "': expected a number with an optional unit, e.g. 30, 30s, 500ms, 2m, 1h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase();
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.compareTo(MAX) > 0) {
            throw CtysException.usage("bad duration '" + text + "': at most " + MAX_TEXT);
        }
        return d;
    }

    /** A duration that bounds a wait (TIMEOUT, --timeout): as {@link #parse}, and above zero. */
    public static Duration parseBound(String text) {
        Duration d = parse(text);
        if (d.isZero()) {
            throw CtysException.usage("bad timeout '" + text + "': a timeout must be above zero, e.g. 30s");
        }
        return d;
    }

    /** {@code tries} tries {@code spacing} apart must fit in {@link #MAX}; else a usage error naming the limit. */
    public static void checkTries(int tries, Duration spacing, String token) {
        if (spacing.multipliedBy(tries).compareTo(MAX) > 0) {
            throw CtysException.usage("'" + token + "': " + tries + " tries " + format(spacing)
                    + " apart take longer than " + MAX_TEXT + ", the longest wait ctys accepts");
        }
    }

    /** The shortest exact way of writing a duration in this grammar. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
        if (ms % 1000 == 0) return ms / 1000 + "s";
        return ms + "ms";
    }

    /** A positive count up to {@link #MAX_COUNT}, e.g. the tries of PING:40%3. */
    public static int parseCount(String text) {
        if (text != null && text.matches("\\d{1,9}")) {
            int n = Integer.parseInt(text);
            if (n > MAX_COUNT) {
                throw CtysException.usage("bad count '" + text + "': at most " + MAX_COUNT);
            }
            if (n > 0) return n;
        }
        throw CtysException.usage("bad count '" + text + "': expected a positive whole number up to " + MAX_COUNT);
    }
}
