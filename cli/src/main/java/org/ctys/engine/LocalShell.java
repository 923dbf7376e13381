package org.ctys.engine;

import java.io.IOException;
import org.ctys.engine.run.Children;
import org.ctys.engine.run.Shells;

/** The interactive shell of {@code localhost}: the user's $SHELL on this terminal, without SSH. */
final class LocalShell {
    private final Process process;

    private LocalShell(Process process) { this.process = process; }

    static LocalShell start() throws Shells.Failure {
        String shell = System.getenv().getOrDefault("SHELL", "/bin/sh");
        try {
            return new LocalShell(new ProcessBuilder(shell, "-i").inheritIO().start());
        } catch (IOException e) {
            throw new Shells.Failure(Shells.Failure.Kind.FAILED, "cannot start " + shell + ": " + e.getMessage());
        }
    }

    int waitFor() throws InterruptedException { return process.waitFor(); }

    /** Ends the shell and what it started, and waits for them. */
    void stop() { Children.stop(process); }
}
