package org.ctys.exit;

/**
 * The one exception that carries an exit status. Its message is a single line
 * meant for the user: it names what is wrong and, where possible, what would be valid.
 */
public final class CtysException extends RuntimeException {
    private final ExitStatus status;

    private CtysException(ExitStatus status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** A problem with the command line: exit 2, nothing was attempted. */
    public static CtysException usage(String message) {
        return new CtysException(ExitStatus.USAGE, message, null);
    }

    /** A problem with inventory, credentials or host keys: exit 3, nothing was attempted. */
    public static CtysException config(String message) {
        return new CtysException(ExitStatus.CONFIG, message, null);
    }

    public static CtysException config(String message, Throwable cause) {
        return new CtysException(ExitStatus.CONFIG, message, cause);
    }

    public ExitStatus status() { return status; }
}
