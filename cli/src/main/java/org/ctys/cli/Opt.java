package org.ctys.cli;

import java.util.List;

/**
 * The generic options of ctys (SPEC.md §1), as data: the parser, --help, the man page and the
 * completion script all read this table, so they cannot disagree.
 */
enum Opt {
    TYPE("TYPE", "the plugin: PM, ... (case-insensitive)", "-t"),
    TYPES("TYPE,...|ALL", "widen LIST and ENUMERATE to several types", "-T"),
    ACTION("ACTION[=SUBOPTIONS]", "the action and its comma-separated suboptions", "-a"),
    USER("USER", "remote user for targets without USER@ (wins over the SSH config's User)", "-l"),
    BATCH("MODE", "how targets are worked on: sync|async, seq|par, and a number for how many at once "
            + "(comma-separated, e.g. -b par,16); async returns without waiting for confirmations", "-b"),
    JUMP("HOST,...", "reach every target through these SSH jump hosts, in OpenSSH's -J order; each [USER@]HOST[:PORT], "
            + "an IPv6 address as [ADDR]:PORT or bare without a port; wins over the config's ProxyJump and ProxyCommand", "-J"),
    SSH_CONFIG("FILE", "SSH client config file (default ~/.ssh/config, then /etc/ssh/ssh_config)", "-F"),
    ACCEPT_NEW(null, "accept and remember the host key of a host never met before, in the first UserKnownHostsFile "
            + "(never a changed or @revoked key, nor a host certificate)",
            "--accept-new-host-keys"),
    DEBUG("LEVEL", "debug level 0..3; from 1 on, errors come with their stack trace", "-d"),
    DRY_RUN(null, "print the plan and change nothing; everything a real run checks is checked, the permissions "
            + "of secret files and each target's SSH configuration included (a target it refuses is listed after the plan, exit 3)",
            "-n", "--dry-run"),
    PTY("PTY|NOPTY", "whether remote commands get a pseudo terminal (default: none; stderr then joins stdout)", "-z"),
    AGENT(null, "forward the SSH agent to the target's commands, never to jump hosts ($SSH_AUTH_SOCK, whose keys ctys also logs in with)", "-Y"),
    TERSE(null, "terse output: one ';'-separated record per target", "-X"),
    OUTPUT("text|json|stream", "report format (default text); stream: each line of command output printed as it "
            + "arrives, prefixed by its target (TARGET: line), and only what went wrong reported, on stderr", "--output"),
    MAX_OUTPUT("SIZE", "keep at most SIZE of each target's command output (default 8M; 1K to 1G); the rest is read "
            + "and dropped and the report says so; with --output stream, a line longer than SIZE is cut", "--max-output"),
    INVENTORY("FILE", "inventory file (default: $CTYS_INVENTORY, ~/.config/ctys/inventory.yaml, "
            + "/etc/ctys/inventory.yaml)", "--inventory"),
    PARALLEL("N", "work on at most N targets at once (default 64); a host's SSH login is shared by its steps and closed after the last one, so at most about N hosts are logged in at a time", "--parallel"),
    TIMEOUT("DURATION", "bound of the whole command: 30s, 2m, 1h; exit status 124 when it runs out", "--timeout"),
    LOG("FILE", "record the console this command attaches (a shell, SOL, ...) to FILE, appended: what the machine "
            + "printed, each line prefixed with its UTC time, and a line when the session starts and ends; never what "
            + "was typed", "--log"),
    VERBOSE(null, "more detail on stderr; errors come with their stack trace", "-v", "--verbose"),
    QUIET(null, "no progress on stderr", "-q", "--quiet"),
    VERSION(null, "print the version and exit", "--version"),
    HELP(null, "this help; with -t TYPE, the actions and suboptions of that type", "-h", "--help");

    private final List<String> names;
    private final String label;
    private final String description;

    Opt(String label, String description, String... names) {
        this.names = List.of(names);
        this.label = label;
        this.description = description;
    }

    List<String> names() { return names; }

    /** The value's placeholder, or null for a flag. */
    String label() { return label; }

    String description() { return description; }

    boolean takesValue() { return label != null; }

    /** {@code -t TYPE} or {@code -n, --dry-run} as help writes it. */
    String synopsis() { return String.join(", ", names) + (label == null ? "" : " " + label); }

    static Opt byName(String name) {
        for (Opt o : values()) if (o.names.contains(name)) return o;
        return null;
    }
}
