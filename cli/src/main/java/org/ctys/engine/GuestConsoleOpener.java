package org.ctys.engine;

import java.time.Duration;
import org.ctys.engine.run.Shells;
import org.ctys.spi.AttachGuestConsole;

/**
 * A guest's hypervisor console ({@code virsh console}, {@code xl console}) as a console: the command
 * runs on the guest's host on a pseudo terminal over SSH. {@code ~.} leaves (exit 0) and closes the
 * channel, so the hypervisor's own escape is never needed. A Ctrl-] typed by the user is passed on,
 * alone ({@link GuestConsoleLink}): the hypervisor's console ends on it with status 0, which is the
 * console ending as asked (exit 0); one that has not ended 2 s later is left (exit 0 too).
 * One that ends otherwise (the guest is not running, another client holds the console or took it
 * over) or whose connection breaks is reported as {@code console-ended} (exit 1). For a guest of
 * this host the command is given the terminal as it is, without SSH and without ctys's escapes.
 */
final class GuestConsoleOpener implements ConsoleOpener<AttachGuestConsole> {
    /** How long the console command may take to start on its host, once logged in. */
    private static final Duration START = Duration.ofSeconds(30);
    private static final String LEFT = "the console was left";

    @Override
    public boolean terminal(AttachGuestConsole step) { return step.remote() != null; }

    @Override
    public boolean records(AttachGuestConsole step) { return step.remote() != null; }

    @Override
    public String target(AttachGuestConsole step) { return step.target(); }

    @Override
    public Opened open(AttachGuestConsole step, Context context) throws Failure {
        String what = "the console of " + step.target();
        if (step.remote() == null) {
            try {
                return Opened.handed(new ProcessBuilder("/bin/sh", "-c", step.command()).inheritIO().start(), what, LEFT);
            } catch (java.io.IOException e) {
                throw new Failure(org.ctys.spi.Verdict.fail("console-ended", "cannot start /bin/sh for the console: " + e.getMessage()));
            }
        }
        try {
            return Opened.link(new GuestConsoleLink(context.shells().console(step.remote(), step.command(), context.pty(), START)), what,
                    "console-ended", LEFT, null);
        } catch (Shells.Failure f) {
            throw new Failure(f.verdict());
        }
    }
}
