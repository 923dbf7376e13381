package org.ctys.bootd;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves: expiry without waiting for it. */
final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant start) { this.now = start; }

    void advance(Duration d) { now = now.plus(d); }

    @Override
    public Instant instant() { return now; }

    @Override
    public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override
    public Clock withZone(ZoneId zone) { return this; }
}
