package org.ctys.cli;

import java.io.PrintStream;

/**
 * With -d 2 and up, how long each phase of a command took, on stderr: where the time goes. The
 * first phase counts from {@code started} (ctys's entry); the JVM's own start is not asked for:
 * asking (the management bean) cost some 30 ms, which timed runs with -d 2 then carried.
 */
final class Phases {
    private final PrintStream err;
    private long last;

    Phases(PrintStream err, long started) {
        this.err = err;
        this.last = started;
    }

    void done(String phase) {
        long now = System.nanoTime();
        if (err != null) err.println("ctys: debug: " + phase + ": " + tenths(now - last) + " ms");
        last = now;
    }

    /**
     * Nanoseconds as milliseconds with one decimal, rounded half up ({@code 54.1}), written by hand:
     * the first {@code printf} of a floating-point number loads the locale's number formats, about
     * 20 ms of a cold start that every timed run with -d 2 carried before its first login.
     */
    static String tenths(long nanos) {
        long t = (Math.max(0, nanos) + 50_000) / 100_000;
        return t / 10 + "." + t % 10;
    }
}
