package org.ctys.consoled;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The time stamp that begins every record of a console log: {@code 2026-11-30T08:00:00.123Z}, UTC,
 * always 24 characters (milliseconds written even when zero), so a record's tag is always at the
 * same place and a reader can tell a record from garbage without a date parser.
 */
final class LogStamp {
    /** Characters of a stamp. */
    static final int LENGTH = 24;
    /** Stamp, space, tag: where a record's content begins. */
    static final int HEADER = LENGTH + 2;

    /** The first and the last instant a stamp can write: the years 0000-9999. */
    static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
    static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private static final byte[] SHAPE = "0000-00-00T00:00:00.000Z".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    // A writer stamps many records in the same second: the first 20 characters are made once a second.
    private long cachedSecond = Long.MIN_VALUE;
    private final byte[] cached = SHAPE.clone();

    /** Writes the stamp of {@code at} into {@code into} at {@code offset}. */
    void write(Instant at, byte[] into, int offset) {
        long second = at.getEpochSecond();
        if (second != cachedSecond) {
            LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
            if (t.getYear() < 0 || t.getYear() > 9999) throw new IllegalArgumentException("a log stamp needs a year 0000-9999: " + at);
            digits(cached, 0, t.getYear(), 4);
            digits(cached, 5, t.getMonthValue(), 2);
            digits(cached, 8, t.getDayOfMonth(), 2);
            digits(cached, 11, t.getHour(), 2);
            digits(cached, 14, t.getMinute(), 2);
            digits(cached, 17, t.getSecond(), 2);
            cachedSecond = second;
        }
        System.arraycopy(cached, 0, into, offset, 20);
        digits(into, offset + 20, at.getNano() / 1_000_000, 3);
        into[offset + 23] = 'Z';
    }

    /** Whether {@code at} is in the years a stamp can write, 0000-9999. */
    static boolean writable(Instant at) {
        return !at.isBefore(FIRST) && !at.isAfter(LAST);
    }

    /**
     * {@code at} as a stamp writes it ({@code 2026-11-30T08:00:00.123Z}); an instant outside the
     * years 0000-9999, which no record has, as ISO-8601 writes it ({@code +10000-01-01T00:00:00Z}).
     */
    static String text(Instant at) {
        if (!writable(at)) return at.toString();
        byte[] b = new byte[LENGTH];
        new LogStamp().write(at, b, 0);
        return new String(b, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The stamp at {@code offset}, or null when those 24 bytes are not one. */
    static Instant parse(byte[] b, int offset) {
        if (!shaped(b, offset)) return null;
        try {
            LocalDateTime t = LocalDateTime.of(number(b, offset, 4), number(b, offset + 5, 2), number(b, offset + 8, 2),
                    number(b, offset + 11, 2), number(b, offset + 14, 2), number(b, offset + 17, 2),
                    number(b, offset + 20, 3) * 1_000_000);
            return t.toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null; // the shape of a stamp, but no date (month 13): garbage
        }
    }

    /** Whether the 24 bytes at {@code offset} have a stamp's shape: digits and separators where a stamp has them. */
    static boolean shaped(byte[] b, int offset) {
        if (b.length - offset < LENGTH) return false;
        for (int i = 0; i < LENGTH; i++) {
            byte want = SHAPE[i];
            byte got = b[offset + i];
            if (want == '0' ? got < '0' || got > '9' : got != want) return false;
        }
        return true;
    }

    private static void digits(byte[] into, int offset, int value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            into[offset + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private static int number(byte[] b, int offset, int width) {
        int v = 0;
        for (int i = 0; i < width; i++) v = v * 10 + (b[offset + i] - '0');
        return v;
    }
}
