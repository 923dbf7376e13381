package org.ctys.consoled;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A back-off wait that does not wait: it records how long it was asked to, and moves the fake clock by that much. */
final class RecordingPause implements Pause {
    private final List<Duration> asked = new ArrayList<>();
    private final FakeClock clock;

    RecordingPause(FakeClock clock) { this.clock = clock; }

    @Override
    public void pause(Duration d, BooleanSupplier stop) {
        synchronized (this) {
            asked.add(d);
        }
        if (clock != null) clock.advance(d);
    }

    @Override
    public void wake() { }

    synchronized List<Duration> asked() { return List.copyOf(asked); }
}
