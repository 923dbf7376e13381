package org.ctys.spi;

import java.time.Duration;

/**
 * Run a command that reports changes as they happen, one line each (a job's state as a server sees
 * it), and hand every line to the plugin as it comes: a line may move the target's progress on and
 * carry output that is the target's result. When the command ends the plugin says what follows.
 *
 * @param remote null for this host, without SSH
 */
public record Follow(String target, Remote remote, String command, Duration timeout, Reader reader) implements Step {

    /** The plugin's reading of the lines; one instance per run of the step (it may keep what it saw). */
    public interface Reader {
        /** One line of the command's output, without its line end, as it arrives. */
        Seen line(String line);

        /**
         * The command ended: {@code ended} holds its exit status and error output (its output went
         * line by line to {@link #line}). Returns what comes next; a step that records the verdict.
         */
        Step end(Output ended);

        /** The command could not be run (SSH failed, or it outlived its bound): what comes next, or null to fail with {@code why}. */
        default Step unreached(Verdict why) { return null; }
    }

    /**
     * What one line meant.
     *
     * @param progress   a verdict that moves the target on (never one that finishes it), or null
     * @param output     bytes of the target's result output (printed as a command's output is), or null
     * @param outputExit the exit status that output ended with (a script's, shown with it), or null: the command's own
     */
    public record Seen(Verdict progress, byte[] output, Integer outputExit) {
        public static final Seen NOTHING = new Seen(null, null, null);

        public Seen(Verdict progress, byte[] output) { this(progress, output, null); }
    }

    @Override
    public String describe() {
        return (remote == null ? "sh -c " : remote.describe() + " ") + ShellWords.quote(command)
                + "  # each line it prints is a change, followed as it comes";
    }
}
