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
        if (err != null) err.printf("ctys: debug: %s: %.1f ms%n", phase, (now - last) / 1e6);
        last = now;
    }
}
