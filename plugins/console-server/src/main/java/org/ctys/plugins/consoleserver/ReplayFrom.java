package org.ctys.plugins.consoleserver;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctys.exit.CtysException;

/**
 * SINCE:'s time as the console server reads it ({@code --since}): an ISO-8601 instant, sent in
 * UTC ({@code 2026-11-30T08:00:00Z}), or a duration back from now in whole seconds, minutes,
 * hours or days ({@code 90s}, {@code 10m}, {@code 2h}, {@code 1d}; a bare number is seconds, as
 * everywhere in ctys). Checked here, so a bad time is refused before anything connects.
 */
final class ReplayFrom {
    private static final Pattern BACK = Pattern.compile("(\\d{1,9})([smhd]?)");
    /** Ten years back, as far as the console server reads a duration. */
    private static final long MAX_SECONDS = 3650L * 24 * 3600;
    /** The years of a console log's stamps, 0000-9999: the server refuses a time outside them. */
    private static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    static final String FORM = "an ISO-8601 instant such as 2026-11-30T08:00:00Z or a duration back from now such as"
            + " 90s, 10m, 2h, 1d";

    private ReplayFrom() {}

    /** The word sent after --since. */
    static String word(String text) {
        String t = text.strip();
        Matcher m = BACK.matcher(t.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2).isEmpty() ? "s" : m.group(2);
            long seconds = n * switch (unit) {
                case "m" -> 60L;
                case "h" -> 3600L;
                case "d" -> 86400L;
                default -> 1L;
            };
            if (n == 0 || seconds > MAX_SECONDS) {
                throw CtysException.usage("suboption 'SINCE:" + text + "': a duration back from now must be above zero and at"
                        + " most 3650d");
            }
            return n + unit;
        }
        Instant at;
        try {
            at = Instant.parse(t.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw CtysException.usage("suboption 'SINCE:" + text + "': bad time; expected " + FORM);
        }
        if (at.isBefore(FIRST) || at.isAfter(LAST)) {
            throw CtysException.usage("suboption 'SINCE:" + text + "': the year must be from 0000 to 9999");
        }
        return at.toString();
    }
}
