package org.ctys.transport.ipmi;

/**
 * A BMC call that did not succeed, with a kind a caller can act on and a message a person can
 * read: never the IPMI library's internal state names.
 */
public final class BmcException extends Exception {

    /** What went wrong, from the caller's side. */
    public enum Kind {
        /** the BMC does not know the user, or the password does not match */
        AUTHENTICATION,
        /** nothing answered: no BMC at that address and port, or it is down */
        UNREACHABLE,
        /** the BMC answered at first, then stopped during the session */
        STOPPED,
        /** the BMC refused what was asked (cipher suite, privilege, command) */
        REFUSED,
        /** Serial-over-LAN is held by another session */
        BUSY,
        /** anything else the BMC answered with an error */
        FAILED
    }

    private final Kind kind;

    public BmcException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BmcException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() { return kind; }
}
