package org.ctys.engine;

import java.time.Duration;
import org.ctys.console.ConsoleLink;
import org.ctys.engine.run.Shells;
import org.ctys.spi.AttachServedConsole;
import org.ctys.spi.Verdict;

/**
 * A console a console server (ctys-consoled) holds, as a console: its front door's command on a
 * pseudo terminal over SSH. Only {@code ~.} is ctys's escape here ({@link ConsoleLink#ownEscapes}).
 * The server's exit statuses are its answers and become the report's: 0 left, 1 no such console
 * (or removed while attached, or the server stopping), 2 a malformed command, 3 not allowed (exit 3,
 * as credentials are); the report quotes the server's own line ({@code ctys-consoled: ...}).
 */
final class ServedConsoleOpener implements ConsoleOpener<AttachServedConsole> {
    /** How long the server may take to start the session, once logged in. */
    private static final Duration START = Duration.ofSeconds(30);

    @Override
    public String target(AttachServedConsole step) { return step.console(); }

    @Override
    public Opened open(AttachServedConsole step, Context context) throws Failure {
        try {
            ConsoleLink link = context.shells().console(step.server(), step.command(), context.pty(), START);
            return Opened.link(new ServedConsoleLink(link), "the console " + step.console() + " on " + step.label(),
                    "console-lost", "the console was left", null);
        } catch (Shells.Failure f) {
            throw new Failure(f.verdict());
        }
    }

    @Override
    public Verdict ended(AttachServedConsole step, ConsoleLink link, int status) {
        if (status == 0) return null;
        String said = link instanceof ServedConsoleLink served ? served.serverSaid() : null;
        String where = step.console() + " on " + step.label() + ": ";
        return switch (status) {
            case 1 -> Verdict.fail("no-console", where + (said != null ? said
                    : "no such console, or it was removed, or the server is stopping (exit 1)"));
            case 2 -> Verdict.fail("malformed", where + (said != null ? said
                    : "the server called the command '" + step.command() + "' malformed (exit 2)"));
            case 3 -> Verdict.refuse("not-allowed", where + (said != null ? said
                    : "not allowed (exit 3): the server's access list does not let this user " + (step.words().contains("--force")
                    ? "take the write" : "see this console")));
            default -> Verdict.fail("console-ended", where + "the server ended the session with status " + status
                    + (said != null ? ": " + said : ""));
        };
    }
}
