package org.ctys.consoled;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test sets and moves on, so stamps and ages are known exactly. */
final class SetClock extends Clock {
    private volatile Instant now;

    SetClock(Instant start) { this.now = start; }

    SetClock(String start) { this(Instant.parse(start)); }

    void set(Instant t) { now = t; }

    Instant advance(Duration d) {
        now = now.plus(d);
        return now;
    }

    @Override
    public Instant instant() { return now; }

    @Override
    public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override
    public Clock withZone(ZoneId zone) { return this; }
}
