package org.ctys.plugins.consoleserver;

/** The text of {@code ctys -t console --help} and ctys-console(1) after the tables. */
final class ConsoleServerDetails {
    private ConsoleServerDetails() {}

    static final String TEXT = """
            The console server:
            ctys-consoled holds the consoles of many machines open at all times (serial lines, Serial-over-LAN,
            hypervisor consoles, commands, terminal server ports), logs each to disk and lets users attach over
            SSH with their keys. -t console is its client. The server is SERVER:[<user>@]<host>[:<port>], else
            the inventory's top-level console-server: (see ctys-inventory(5)); without either nothing is sent
            and ctys exits 3. The port is the console server's own (default 7022), not the host's sshd. A
            server host the inventory names is reached at its host: address, as its ssh: user and jump hosts
            say; -l USER and -J apply as for every SSH step, and so do ~/.ssh/config, the agent, the user's
            keys and known_hosts (the console server's host key must be known, or --accept-new-host-keys).
            The login name is the console server's user, whose access decides what may be seen and written.

            Attaching:
            ctys -t console -a create lab07 logs in with a pseudo terminal of the local terminal's type and
            size and sends the command lab07 (with --spy or --force, --replay <n> or --since <time> for SPY,
            FORCE, REPLAY: and SINCE:). The server shows the replay first, then the live console. The first
            read-write user writes, the others watch; SPY never writes; FORCE takes the write, and everyone
            attached is told who took it. A terminal attaches to one console: more than one target is
            refused (exit 2); open further consoles in further terminals.

            Escape sequences (after a newline):
            ~. is ctys's own: it leaves at once (exit status 0), even when the server does not answer. Every
            other ~x goes to the server as typed, which has its own: ~? help, ~w who is attached, ~f take the
            write, ~s become a spy, ~r replay the last 20 lines, ~B break, ~~ one ~. On ~? ctys adds one line
            of its own about ~. before the server's help.

            Exit status:
            0 when the console was left (~., or the end of piped input); the server's refusals are reported
            like other failures: no such console, or the console removed while attached, or the server
            stopping, is no-console (exit 1); a command the server calls malformed is malformed (exit 1); a
            console the user may not see, or FORCE by a read-only user, is not-allowed (exit 3). The report
            quotes the server's own message. A connection that breaks is console-lost (exit 1). --timeout
            bounds the whole session (exit 124).

            Listing:
            ctys -t console -a list sends list --json and shows one row per console the user may see: its
            kind, state (up, down, opening) and since when, the writer, watchers and spies, the log's size,
            the user's access (rw or ro), the endpoint, and the last error of a console that is down; then one
            row for the server. Console names as targets (lab07, node sets such as lab[01-08], @groups) list
            those only, and a name the server does not have fails. --output json and -X give the same
            fields. A server whose answer is not a console list (another SSH server, a shell) is named as
            not-a-console-server (exit 1). -T ALL leaves this type out: its targets are consoles, not machines.

            Dry run:
            -n prints the ssh command that would attach or list, and connects nowhere.
            """;
}
