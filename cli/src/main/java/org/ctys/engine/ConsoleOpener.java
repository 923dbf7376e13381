package org.ctys.engine;

import java.util.Map;
import org.ctys.console.ConsoleLink;
import org.ctys.console.ConsoleSession;
import org.ctys.engine.run.Shells;
import org.ctys.inventory.SecretRef;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;

/**
 * How the far end of a step that owns the terminal is opened, for the one attach model
 * ({@link Attach}): one opener per such step kind, registered in {@link ConsoleOpeners}. The model
 * does the rest, the same for every kind: raw mode, escapes, restore, window size, --log, the
 * overall --timeout and interrupts, the report and the exit status.
 */
public interface ConsoleOpener<S extends Step> {

    /**
     * Whether the session is to use the local terminal (raw, its escapes, its type and size for the
     * far end) when standard input is one. False: input is piped as it is (an SSH shell with
     * -z NOPTY), or the terminal is handed to a local process ({@link Opened#handed}).
     */
    default boolean terminal(S step) { return true; }

    /** The target the report names when the console fails. */
    String target(S step);

    /** Whether --log can record the session: false for a process given the terminal, whose output ctys never sees. */
    default boolean records(S step) { return true; }

    /**
     * What the report says of a far end that ended with {@code status} of its own ({@link ConsoleLink.Ended}),
     * or null, the default: the status is the command's, without a report (a shell's exit status). A
     * console server's statuses are refusals (no such console, not allowed) that are reported instead.
     */
    default Verdict ended(S step, ConsoleLink link, int status) { return null; }

    /** Opens the far end; a far end that cannot be opened is a failure with its report's verdict. */
    Opened open(S step, Context context) throws Failure;

    /** What an opener may use: the run's secrets, its SSH side, the local terminal's pseudo terminal. */
    record Context(Map<SecretRef, byte[]> secrets, java.util.function.Supplier<Shells> sshSide, ConsoleSession.Pty pty) {
        public byte[] secret(SecretRef ref) { return ref == null ? null : secrets.get(ref); }

        /** The run's SSH side, made the first time it is asked for. */
        public Shells shells() { return sshSide.get(); }
    }

    /**
     * An opened console.
     *
     * @param link      its far end; null when the terminal is handed to {@code process}
     * @param what      what the banner and the log call it: "the console of lab01", "a shell on lab1"
     * @param lostState the report's state word when the link is lost ("sol-lost", "unreachable")
     * @param leftText  how the report ends a session the --timeout or a signal stopped ("the console was left")
     * @param resources closed when the session ends (a BMC session, a serial port); null: none
     * @param process   a local process given the terminal as it is (the local $SHELL); its exit status is the command's
     */
    record Opened(ConsoleLink link, String what, String lostState, String leftText, AutoCloseable resources, Process process) {

        public static Opened link(ConsoleLink link, String what, String lostState, String leftText, AutoCloseable resources) {
            return new Opened(java.util.Objects.requireNonNull(link), what, lostState, leftText, resources, null);
        }

        public static Opened handed(Process process, String what, String leftText) {
            return new Opened(null, what, "failed", leftText, null, java.util.Objects.requireNonNull(process));
        }
    }

    /** A console that could not be opened, and what the report says of it. */
    final class Failure extends Exception {
        private final transient Verdict verdict;

        public Failure(Verdict verdict) {
            super(verdict.message());
            this.verdict = verdict;
        }

        public Verdict verdict() { return verdict; }
    }
}
