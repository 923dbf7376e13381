package org.ctys.console;

import java.util.function.BooleanSupplier;

/**
 * A console's link on the local terminal, without a log: {@link ConsoleSession} opened, run and
 * closed in one call. How a session ends ({@link End}, {@link Outcome}) is defined here, where the
 * console kinds written against this entry find it.
 */
public final class SerialConsole {

    /** How the console ended: left with {@code ~.}, piped input ended, lost, stopped, or ended by the far end with a status. */
    public enum End { LEFT, INPUT_ENDED, LOST, STOPPED, ENDED }

    /** @param status the far end's own status for {@link End#ENDED} (a shell's exit status), else 0 */
    public record Outcome(End end, String message, int status) {
        public Outcome(End end, String message) { this(end, message, 0); }
    }

    private SerialConsole() {}

    /**
     * Runs until the user leaves ({@code ~.}), piped input ends, the link is lost, or {@code stop}
     * says so (the overall --timeout, an interrupt).
     */
    public static Outcome run(ConsoleLink link, String name, BooleanSupplier stop) {
        try (ConsoleSession session = ConsoleSession.open(true, null)) {
            return session.run(link, "the console of " + name, stop, null);
        }
    }
}
