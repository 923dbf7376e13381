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

    public SshFailure(Kind kind, String message) {
        this(kind, message, null);
    }

    public SshFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
