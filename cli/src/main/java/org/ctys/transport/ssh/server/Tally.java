package org.ctys.transport.ssh.server;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One kind of event that may come in a flood, as few lines: the first one at once, then at most one
 * line a minute while more come ("41 more connections refused (a line a minute at most); the last:
 * ..."), none once they stop. {@link #flush()} says what is still counted (the door closing).
 */
final class Tally {
    static final Duration PERIOD = Duration.ofMinutes(1);

    private final String one;
    private final String many;
    private final ScheduledExecutorService timer;
    private final Consumer<String> events;
    /** Whether a line went out within the current minute (then the next ones are counted). */
    private boolean recent;
    private int more;
    private String last;

    /** one, many: the events counted ("connection refused", "connections refused"). */
    Tally(String one, String many, ScheduledExecutorService timer, Consumer<String> events) {
        this.one = one;
        this.many = many;
        this.timer = timer;
        this.events = events;
    }

    /** One event, its own line: said at once when none was said within the period, else counted. */
    void note(String line) {
        synchronized (this) {
            if (recent) {
                more++;
                last = line;
                return;
            }
            recent = true;
        }
        events.accept(line);
        schedule();
    }

    private void schedule() {
        try {
            timer.schedule(this::periodEnds, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the door is closing: flush() says the rest
        }
    }

    private void periodEnds() {
        if (flush()) schedule();
    }

    /**
     * Says how many were counted since the last line, if any, and returns true; with none counted
     * the next event is said at once again.
     */
    boolean flush() {
        int n;
        String line;
        synchronized (this) {
            n = more;
            line = last;
            more = 0;
            last = null;
            if (n == 0) recent = false;
        }
        if (n == 0) return false;
        events.accept(n + " more " + (n == 1 ? one : many) + " (a line a minute at most); the last: " + line);
        return true;
    }
}
