package org.ctys.engine;

import java.io.IOException;

/** The interactive shell of {@code localhost}: the user's $SHELL on this terminal, without SSH. */
final class LocalShell {

    private LocalShell() {}

    /** Starts $SHELL on this terminal as it is; the attach model waits for it, or stops it and what it started. */
    static Process start() throws ConsoleOpener.Failure {
        String shell = System.getenv().getOrDefault("SHELL", "/bin/sh");
        try {
            return new ProcessBuilder(shell, "-i").inheritIO().start();
        } catch (IOException e) {
            throw new ConsoleOpener.Failure(org.ctys.spi.Verdict.fail("unreachable", "cannot start " + shell + ": " + e.getMessage()));
        }
    }
}
