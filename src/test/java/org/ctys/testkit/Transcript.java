package org.ctys.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What a reader thread has seen arrive (a host's serial line, a console client's terminal), for tests that
 * wait until a text has come and then read on from there.
 */
public final class Transcript {
    private final String who;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private int consumed;

    /** @param who what receives, for failure messages: "the host console", "ipmitool sol activate" */
    public Transcript(String who) { this.who = who; }

    public synchronized void append(byte[] data, int offset, int length) {
        bytes.write(data, offset, length);
        notifyAll();
    }

    /** Wakes a waiting {@link #readUntil}: nothing more will come. */
    public synchronized void ended() { notifyAll(); }

    public synchronized String text() { return bytes.toString(StandardCharsets.UTF_8); }

    /**
     * Waits until {@code expected} has come and returns what came up to and including it; the next
     * call reads on from there. Fails the test with what did come if it does not within {@code limit},
     * or at once when {@code gone} says (non-null) that nothing more can come, and why.
     */
    public synchronized String readUntil(String expected, Duration limit, Supplier<String> gone) {
        long until = System.nanoTime() + limit.toNanos();
        while (true) {
            String text = text();
            String fresh = text.substring(Math.min(consumed, text.length()));
            int at = fresh.indexOf(expected);
            if (at >= 0) {
                consumed += at + expected.length();
                return fresh.substring(0, at + expected.length());
            }
            long left = until - System.nanoTime();
            String why = gone.get();
            if (left <= 0 || why != null) {
                throw new AssertionError(who + " did not get \"" + expected + "\" within " + limit.toMillis() + " ms"
                        + (why == null ? "" : " (" + why + ")") + "; it got "
                        + (fresh.isEmpty() ? "nothing" : "\"" + fresh + "\""));
            }
            try {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + who, e);
            }
        }
    }
}
