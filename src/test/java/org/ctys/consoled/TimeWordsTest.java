package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeWordsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void sinceTakesAnInstantOrADurationBackFromNow() {
        assertThat(TimeWords.since("2026-11-30T08:00:00Z", NOW)).contains(Instant.parse("2026-11-30T08:00:00Z"));
        assertThat(TimeWords.since(" 2h ", NOW)).contains(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(TimeWords.since("3651d", NOW)).isEmpty();
        assertThat(TimeWords.since("yesterday", NOW)).isEmpty();
    }

    /** A log's stamps have the years 0000-9999: an instant beyond them is refused, not carried into date arithmetic. */
    @Test
    void sinceRefusesAnInstantOutsideTheYearsOfALogsStamps() {
        for (String t : new String[] {"+1000000000-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
                "-0001-12-31T23:59:59.999Z"}) {
            assertThat(TimeWords.since(t, NOW)).as(t).isEmpty();
        }
        assertThat(TimeWords.since("0000-01-01T00:00:00Z", NOW)).contains(LogStamp.FIRST);
        assertThat(TimeWords.since("9999-12-31T23:59:59.999999999Z", NOW)).contains(LogStamp.LAST);
        assertThat(TimeWords.since("1d", Instant.parse("0000-01-01T12:00:00Z"))).isEmpty();
    }
}
