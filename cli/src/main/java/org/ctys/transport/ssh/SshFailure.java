package org.ctys.transport.ssh;

import java.util.Objects;

/**
 * Why an SSH operation failed, as a one-line message a user can act on. MINA's own exception texts
 * name internal states; callers show this message instead and keep the cause for debugging.
 */
public final class SshFailure extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Kind { UNKNOWN_HOST_KEY, CHANGED_HOST_KEY, AUTH, CONNECT, TIMEOUT, DISCONNECTED, CONFIG }

    private final Kind kind;
    private final boolean commandSent;

    public SshFailure(Kind kind, String message) {
        this(kind, message, null);
    }

    public SshFailure(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, false);
    }

    private SshFailure(Kind kind, String message, Throwable cause, boolean commandSent) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.commandSent = commandSent;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * For a command run with exec: whether it may have reached the machine. True once its channel was
     * asked for (the command goes with the channel's confirmation) unless the server refused the
     * channel; false for what failed before (the login, a refused channel), where it certainly did
     * not run. Other operations (a shell, a console, a watch) do not say, and are false.
     */
    public boolean commandSent() {
        return commandSent;
    }

    /** This failure, of an operation whose command may have reached the machine. */
    SshFailure sent() {
        return commandSent ? this : new SshFailure(kind, getMessage(), getCause(), true);
    }
}
