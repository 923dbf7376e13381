package org.ctys.exit;

/** The exit statuses of ctys (SPEC.md §5). One table, shown by --help and the man page. */
public enum ExitStatus {
    OK(0, "every target reached the requested state"),
    FAILED(1, "at least one target failed; the per-target report says which and why"),
    USAGE(2, "usage error: nothing was attempted"),
    CONFIG(3, "configuration error (inventory, credentials, host keys, the SSH config): nothing was attempted"),
    TIMEOUT(124, "the overall --timeout ran out"),
    INTERRUPTED(130, "interrupted (SIGINT); what had been done is reported"),
    HANGUP(129, "hung up (SIGHUP): handled as an interrupt"),
    TERMINATED(143, "terminated (SIGTERM): handled as an interrupt");

    private final int code;
    private final String meaning;

    ExitStatus(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() { return code; }

    public String meaning() { return meaning; }

    /** Whether a signal stopped the run (SIGINT, SIGHUP or SIGTERM). */
    public boolean bySignal() { return this == INTERRUPTED || this == HANGUP || this == TERMINATED; }
}
