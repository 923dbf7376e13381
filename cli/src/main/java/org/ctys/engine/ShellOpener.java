package org.ctys.engine;

import java.util.Map;
import org.ctys.console.ConsoleSession;
import org.ctys.engine.run.Shells;
import org.ctys.spi.OpenShell;

/**
 * An interactive shell over SSH as a console: a pseudo terminal of the local terminal's type, size
 * and modes (or none for piped input, unless -z PTY), its exit status the command's. The escapes are
 * ctys's, as on every console, and none reach OpenSSH: the remote side is sshd, which has none. For
 * {@code localhost} the user's $SHELL is given the terminal as it is.
 */
final class ShellOpener implements ConsoleOpener<OpenShell> {
    private static final String LEFT = "the shell was closed";

    /** -z NOPTY: input is copied as it is, the terminal stays as it is; the local $SHELL takes the terminal itself. */
    @Override
    public boolean terminal(OpenShell step) { return step.remote() != null && !Boolean.FALSE.equals(step.pty()); }

    @Override
    public boolean records(OpenShell step) { return step.remote() != null; }

    @Override
    public String target(OpenShell step) { return step.target(); }

    @Override
    public Opened open(OpenShell step, Context context) throws Failure {
        if (step.remote() == null) return Opened.handed(LocalShell.start(), "a shell on this host", LEFT);
        ConsoleSession.Pty pty = context.pty();
        if (pty == null && Boolean.TRUE.equals(step.pty())) {
            pty = new ConsoleSession.Pty(System.getenv().getOrDefault("TERM", "dumb"), 80, 24, Map.of());
        }
        try {
            return Opened.link(context.shells().shell(step.remote(), pty), "a shell on " + step.target(), "unreachable", LEFT,
                    null);
        } catch (Shells.Failure f) {
            throw new Failure(f.verdict());
        }
    }
}
