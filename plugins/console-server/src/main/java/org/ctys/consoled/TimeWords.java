package org.ctys.consoled;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The daemon's words for time: durations {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d} (a bare
 * number is seconds; {@code 0} is none), and the {@code --since} of an attach, an ISO-8601 instant
 * or a duration back from now. ctys's own duration grammar has no days; a log's age needs them.
 */
final class TimeWords {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd]?)");
    /** Ten years: longer is a typo, and every sum stays far from overflowing. */
    static final Duration MAX = Duration.ofDays(3650);
    static final String DURATION_FORM = "a whole number with s, m, h or d, such as 90s, 20m, 2h or 1d";

    private TimeWords() {}

    /** A duration as written, or empty when the text is not one (or longer than ten years). */
    static Optional<Duration> duration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) return Optional.empty();
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
        return d.compareTo(MAX) > 0 ? Optional.empty() : Optional.of(d);
    }

    /**
     * {@code --since}'s value: an instant (2026-11-30T08:00:00Z) or a duration back from {@code now};
     * empty when it is neither, or is outside the years 0000-9999 (those of a log's stamps: an
     * instant beyond them finds nothing, and every date computation on it stays in range).
     */
    static Optional<Instant> since(String text, Instant now) {
        Optional<Duration> back = duration(text);
        Instant at;
        if (back.isPresent()) {
            at = now.minus(back.get());
        } else {
            try {
                at = Instant.parse(text.strip());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return LogStamp.writable(at) ? Optional.of(at) : Optional.empty();
    }

    /** The shortest exact way to write {@code d} in this grammar: 20m, 1d, 90s. */
    static String format(Duration d) {
        long s = d.toSeconds();
        if (s > 0 && s % 86_400 == 0) return s / 86_400 + "d";
        if (s > 0 && s % 3_600 == 0) return s / 3_600 + "h";
        if (s > 0 && s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }
}
