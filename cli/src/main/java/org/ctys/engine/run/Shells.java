package org.ctys.engine.run;

import java.io.OutputStream;
import java.time.Duration;
import org.ctys.spi.Output;
import org.ctys.spi.Remote;

/** How the engine reaches machines over SSH; the SSH transport in a run, a stand-in in tests. */
public interface Shells extends AutoCloseable {

    /** Runs a command; its own exit status is in the output, only reaching it can fail. */
    Output exec(Remote remote, String command, Duration timeout) throws Failure;

    /**
     * Runs a command writing its output and error output to the streams given as they arrive;
     * the result says only how it ended. Stand-ins that hold their output in memory need not
     * implement it.
     */
    default Output exec(Remote remote, String command, Duration timeout, OutputStream out, OutputStream err) throws Failure {
        Output o = exec(remote, command, timeout);
        try {
            out.write(o.stdout());
            err.write(o.stderr());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Output.exitOnly(o.exitStatus(), o.exitSignal());
    }

    /**
     * As {@link #exec(Remote, String, Duration, OutputStream, OutputStream)}, with {@code input} on the
     * command's standard input, then end of input (null or empty: end of input at once).
     */
    Output exec(Remote remote, String command, Duration timeout, byte[] input, OutputStream out, OutputStream err) throws Failure;

    /**
     * Starts {@code command} for as long as the caller listens ({@code virsh event --loop}): what it
     * prints goes to {@code out} and {@code err} as it comes, in the transport's threads, and
     * {@link Watch#close()} ends it by closing its standard input. {@code open} bounds the login and
     * the start. Null when the machine has no room for it now (all its channels taken): a watch only
     * ever hastens what a caller would learn anyway. Stand-ins need not implement it.
     */
    default Watch watch(Remote remote, String command, Duration open, OutputStream out, OutputStream err) throws Failure {
        return null;
    }

    /** A command started by {@link #watch}. */
    interface Watch extends AutoCloseable {
        /** Whether it still runs. */
        boolean isOpen();

        /** Ends it (its input closes; it is stopped if it does not end by itself within a short grace) and waits. */
        @Override
        void close();
    }

    /**
     * Reads the SSH configuration for {@code remote} and resolves its hops as a login would, without
     * connecting: a configuration that would refuse the login (a bad line, a file others can write,
     * a jump loop) is known before anything is sent to any machine. Stand-ins need not implement it.
     */
    default void check(Remote remote) throws Failure {
    }

    /**
     * A step of the plan that is still to run reaches {@code remote}: its session is kept for that
     * step. Stand-ins need not implement it.
     */
    default void hold(Remote remote) {
    }

    /**
     * A step held with {@link #hold} has ended: once no held step reaches the same machine the same
     * way (the same hops), its session and hops are closed, not kept until the end of the run.
     */
    default void release(Remote remote) {
    }

    /** Logs in and out again: the machine accepts SSH logins. */
    void login(Remote remote, Duration timeout) throws Failure;

    /**
     * Opens an interactive shell as a console's far end: with a pseudo terminal like {@code pty}
     * (null: none, its error output then goes to this process's), its exit status the link's end
     * ({@link org.ctys.console.ConsoleLink.Ended}). Only opening it can fail here. The shell is
     * closed with the rest of the SSH side.
     */
    org.ctys.console.ConsoleLink shell(Remote remote, org.ctys.console.ConsoleSession.Pty pty) throws Failure;

    /**
     * Runs {@code command} (a hypervisor's console: {@code virsh console web1}) on a pseudo terminal
     * like {@code pty} as a console's far end: when it exits 0 (the user typed its own escape) the
     * link ends with status 0; any other end (a refusal, another status, the connection lost) is the
     * link lost, with the reason. Only opening it can fail here; {@code start} bounds the login and
     * the command's start.
     */
    org.ctys.console.ConsoleLink console(Remote remote, String command, org.ctys.console.ConsoleSession.Pty pty,
                                         Duration start) throws Failure;

    /**
     * Forwards an ephemeral port on 127.0.0.1 to {@code host:port} as {@code remote} sees it,
     * through its session and hops (no {@code ssh -L} process).
     */
    Tunnel forward(Remote remote, String host, int port) throws Failure;

    /** A local port forward; closing it stops listening. */
    interface Tunnel extends AutoCloseable {
        int localPort();

        /** Whether it still listens: neither closed nor its SSH session gone. */
        boolean isOpen();

        /** Runs {@code then} once, when the forward or its SSH session closes (at once if it already has). */
        void whenClosed(Runnable then);

        @Override
        void close();
    }

    @Override
    void close();

    /** Why a machine could not be reached; REFUSED is a configuration matter (host keys, the SSH config). */
    final class Failure extends Exception {
        public enum Kind { REFUSED, TIMEOUT, FAILED }

        private final Kind kind;
        private final String reason;
        private final boolean commandSent;

        /** A failure after which the command may have run. */
        public Failure(Kind kind, String message) {
            this(kind, message, null, true);
        }

        /**
         * @param reason      the report's short reason for a REFUSED failure ("host-key", "ssh-config"); null: host-key
         * @param commandSent whether the command may have reached the machine (false: it certainly did not run)
         */
        public Failure(Kind kind, String message, String reason, boolean commandSent) {
            super(message);
            this.kind = kind;
            this.reason = reason;
            this.commandSent = commandSent;
        }

        public Kind kind() { return kind; }

        /** Whether the command may have run (false: it failed before the command left, at the login or the channel). */
        public boolean commandSent() { return commandSent; }

        /** What a REFUSED failure is about, for the report. */
        public String reason() { return reason != null ? reason : "host-key"; }

        /** What the report says of a machine this failure kept out of reach. */
        public org.ctys.spi.Verdict verdict() {
            return switch (kind) {
                case REFUSED -> org.ctys.spi.Verdict.refuse(reason(), getMessage());
                case TIMEOUT -> org.ctys.spi.Verdict.fail("timed-out", getMessage());
                default -> org.ctys.spi.Verdict.fail("unreachable", getMessage());
            };
        }
    }
}
