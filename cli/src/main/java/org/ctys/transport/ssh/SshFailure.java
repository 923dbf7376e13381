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
     * Whether the failed operation's command may have reached the machine: true once a command's
     * channel was asked for (its command goes with the channel's confirmation), false for what failed
     * before it (the login, a refused channel), where the command certainly did not run.
     */
    public boolean commandSent() {
        return commandSent;
    }

    /** This failure, of an operation whose command may have reached the machine. */
    SshFailure sent() {
        return commandSent ? this : new SshFailure(kind, getMessage(), getCause(), true);
    }
}
