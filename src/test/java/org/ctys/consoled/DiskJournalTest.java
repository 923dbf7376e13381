package org.ctys.consoled;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.ctys.consoled.ConsoleLog.Line;
import org.junit.jupiter.api.Test;

class DiskJournalTest {
    private static String rendered(Line... lines) {
        return new String(DiskJournal.render(List.of(lines)), UTF_8);
    }

    @Test
    void consoleLinesEndWithCrLfAndMarksShowTheirStamp() {
        assertThat(rendered(new Line(Instant.parse("2026-11-30T08:00:00.123456Z"), true, "lab07 up".getBytes(UTF_8)),
                new Line(Instant.EPOCH, false, "login:".getBytes(UTF_8)), new Line(Instant.EPOCH, false, "ok\r".getBytes(UTF_8))))
                .isEqualTo("[log 2026-11-30T08:00:00.123Z: lab07 up]\r\nlogin:\r\nok\r\n");
    }

    /** A mark can be stamped with the instant a replay was asked from: every instant renders, each as itself. */
    @Test
    void aMarkRendersForEveryInstantAndEachAsItself() {
        assertThat(rendered(new Line(Instant.MAX, true, "m".getBytes(UTF_8))))
                .isEqualTo("[log +1000000000-12-31T23:59:59.999999999Z: m]\r\n");
        assertThat(rendered(new Line(Instant.MIN, true, "m".getBytes(UTF_8)))).isEqualTo("[log -1000000000-01-01T00:00:00Z: m]\r\n");
        assertThat(rendered(new Line(Instant.parse("+10000-01-01T00:00:00Z"), true, "m".getBytes(UTF_8))))
                .isEqualTo("[log +10000-01-01T00:00:00Z: m]\r\n");
        // year 0 is 0000, as the log stamps it (not 0001, the year of its era)
        assertThat(rendered(new Line(LogStamp.FIRST, true, "m".getBytes(UTF_8)))).isEqualTo("[log 0000-01-01T00:00:00.000Z: m]\r\n");
        assertThat(rendered(new Line(LogStamp.LAST, true, "m".getBytes(UTF_8)))).isEqualTo("[log 9999-12-31T23:59:59.999Z: m]\r\n");
    }
}
