package org.ctys.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ctys.grammar.UsageErrors.assertUsage;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every duration and count is bounded when it is read, with the limit in the message. */
class DurationsTest {

    @Test
    void aYearIsTheLongestDuration() {
        assertThat(Durations.parse("8760h")).isEqualTo(Duration.ofDays(365));
        assertThat(Durations.parse("525600m")).isEqualTo(Duration.ofDays(365));
        assertThat(Durations.parse("999999999ms")).isEqualTo(Duration.ofMillis(999_999_999));
        // 999999999h once overflowed the engine's nanoseconds after the packet had been sent
        assertUsage(() -> Durations.parse("999999999h"), "'999999999h'", "at most 8760h (365 days)");
        assertUsage(() -> Durations.parse("8761h"), "at most 8760h");
        assertUsage(() -> Durations.parse("31536001"), "at most 8760h");
    }

    @Test
    void aBoundMustBeAboveZeroWhileADelayMayBeZero() {
        assertThat(Durations.parse("0")).isZero();
        assertThat(Durations.parseBound("1ms")).isEqualTo(Duration.ofMillis(1));
        assertUsage(() -> Durations.parseBound("0"), "bad timeout '0'", "above zero");
        assertUsage(() -> Durations.parseBound("0ms"), "above zero");
    }

    @Test
    void countsAreBounded() {
        assertThat(Durations.parseCount("100000")).isEqualTo(Durations.MAX_COUNT);
        assertUsage(() -> Durations.parseCount("100001"), "'100001'", "at most 100000");
        assertUsage(() -> Durations.parseCount("999999999"), "at most 100000");
        assertUsage(() -> Durations.parseCount("0"), "positive");
    }

    @Test
    void triesTimesTheirSpacingFitInAYear() {
        Durations.checkTries(100_000, Duration.ofMinutes(5), "ping:100000%5m");
        assertUsage(() -> Durations.checkTries(100_000, Duration.ofHours(1), "ping:100000%1h"),
                "'ping:100000%1h'", "100000 tries 1h apart", "8760h (365 days)");
    }
}
