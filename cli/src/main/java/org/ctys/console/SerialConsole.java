package org.ctys.console;

/** How a console session ends ({@link End}, {@link Outcome}), as {@link ConsoleSession} and {@link Bridge} report it. */
public final class SerialConsole {

    /**
     * How the console ended: left with {@code ~.}, piped input ended, lost, stopped, ended by the far
     * end with a status, or left because what it watched has finished (a job it was opened beside).
     */
    public enum End { LEFT, INPUT_ENDED, LOST, STOPPED, ENDED, FINISHED }

    /** @param status the far end's own status for {@link End#ENDED} (a shell's exit status), else 0 */
    public record Outcome(End end, String message, int status) {
        public Outcome(End end, String message) { this(end, message, 0); }
    }

    private SerialConsole() {}
}
