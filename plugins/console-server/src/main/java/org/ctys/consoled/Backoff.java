package org.ctys.consoled;

import java.time.Duration;

/**
 * How long a console that dropped waits before each reopening: 1 s, doubling to 60 s. A console
 * that stayed up for {@link #STEADY} starts again at 1 s when it drops; one that flaps keeps its
 * longer wait, so a BMC rebooting in a loop is not hammered.
 */
final class Backoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(60);
    static final Duration STEADY = Duration.ofSeconds(60);

    private Duration next = FIRST;

    /** The wait before the next try; the one after it is twice as long, up to {@link #MAX}. */
    Duration next() {
        Duration d = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(MAX) > 0 ? MAX : doubled;
        return d;
    }

    /** The console was up for {@code up}: long enough, and the next drop starts at {@link #FIRST} again. */
    void wasUp(Duration up) {
        if (up.compareTo(STEADY) >= 0) next = FIRST;
    }
}
