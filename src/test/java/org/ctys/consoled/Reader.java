package org.ctys.consoled;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;
import org.ctys.console.ConsoleLink;

/**
 * The daemon's reader loop as the kinds' tests drive it: {@code await} then {@code read}, until what
 * came satisfies a condition, the link throws, or a limit passes. It also counts the CPU time the
 * looping thread used, which shows whether {@code await} slept or spun.
 */
final class Reader {
    static final long AWAIT_MILLIS = 500;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    final ByteArrayOutputStream got = new ByteArrayOutputStream();
    IOException ended;
    long cpuNanos;
    int wakeUps;

    private final ConsoleLink link;

    Reader(ConsoleLink link) { this.link = link; }

    /** Loops until {@code done} holds for what arrived (true), the link throws or {@code limit} passes (false). */
    boolean until(Predicate<String> done, Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        try {
            while (!done.test(text())) {
                if (System.nanoTime() - until >= 0) return false;
                link.await(AWAIT_MILLIS);
                wakeUps++;
                got.writeBytes(link.read());
            }
            return true;
        } catch (IOException e) {
            ended = e;
            return false;
        } finally {
            cpuNanos += THREADS.getCurrentThreadCpuTime() - cpu0;
        }
    }

    /** Loops until the link throws (true) or {@code limit} passes (false). */
    boolean untilEnded(Duration limit) throws InterruptedException {
        until(s -> false, limit);
        return ended != null;
    }

    String text() { return got.toString(StandardCharsets.ISO_8859_1); }

    @Override
    public String toString() { return "read so far: '" + text() + "'" + (ended == null ? "" : ", ended: " + ended.getMessage()); }
}
