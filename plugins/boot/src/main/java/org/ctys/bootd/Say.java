package org.ctys.bootd;

import java.io.PrintStream;

/** The daemon's own messages: one line each on standard error, {@code ctys-bootd: ...} (journald keeps them). */
final class Say {
    private final PrintStream err;

    Say(PrintStream err) { this.err = err; }

    synchronized void line(String text) {
        err.println("ctys-bootd: " + text.replace('\n', ' ').replace('\r', ' '));
        err.flush();
    }
}
