package org.ctys.cli;

import java.io.PrintStream;

/** Usage errors as the user sees them: one line naming the bad token, the synopsis, where to look. */
final class Usage {
    static final String SYNOPSIS = "ctys [options] -t TYPE -a ACTION[=SUBOPTIONS] [--] [TARGET ...]";

    private Usage() {}

    static void print(PrintStream err, String message) {
        // the message quotes what was typed or read, which may hold control characters
        err.println("ctys: " + org.ctys.spi.ControlChars.escape(message));
        err.println("Usage: " + SYNOPSIS);
        err.println("Try 'ctys --help' for more information.");
    }
}
