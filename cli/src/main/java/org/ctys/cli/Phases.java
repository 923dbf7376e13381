package org.ctys.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;

/** With -d 2 and up, how long each phase of a command took, on stderr: where the time goes. */
final class Phases {
    private final PrintStream err;
    private long last = System.nanoTime();

    Phases(PrintStream err) {
        this.err = err;
        if (err != null) {
            long sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            err.println("ctys: debug: JVM start to here: " + sinceStart + " ms");
        }
    }

    void done(String phase) {
        long now = System.nanoTime();
        if (err != null) err.printf("ctys: debug: %s: %.1f ms%n", phase, (now - last) / 1e6);
        last = now;
    }
}
