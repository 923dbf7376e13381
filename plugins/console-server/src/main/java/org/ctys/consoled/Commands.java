package org.ctys.consoled;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ctys.transport.ssh.server.FrontDoorSession;
import org.ctys.transport.ssh.server.SessionHandler;

/**
 * The front door's command protocol: {@code <console> [--spy|--force] [--replay <n>|--since <time>]}
 * attaches, {@code list [--json]} lists, {@code help} (or a plain shell) explains. Exit statuses:
 * 0 left, 1 no such console (or it went away, or the daemon stops), 2 a malformed command, 3 not allowed.
 */
final class Commands implements SessionHandler {

    static final int LEFT = 0;
    static final int NO_CONSOLE = 1;
    static final int MALFORMED = 2;
    static final int NOT_ALLOWED = 3;
    /** The most lines {@code --replay} gives. */
    static final int MAX_REPLAY = 100_000;
    /** Lines {@code ~r} replays. */
    static final int TILDE_R_LINES = 20;
    /** What may wait for one user before they count as fallen behind: a few seconds of a fast console. */
    static final long QUEUE_LIMIT = 4L << 20;

    static final String USAGE = "usage: ssh -p PORT [-t] HOST COMMAND, where COMMAND is\n"
            + "  <console> [--spy|--force] [--replay <n>|--since <time>]   attach (replay first, then live)\n"
            + "  list [--json]                                             the consoles you may use\n"
            + "  help                                                      this text\n"
            + "<time>: an instant such as 2026-11-30T08:00:00Z (years 0000-9999), or a duration back from now (90s, 10m, 2h, 1d).\n"
            + SessionEscapes.HELP + "\n";

    private final Hub hub;
    private final Say say;
    private final Clock clock;
    private final long queueLimit;
    /** What may wait for all the users together. */
    private final Attachment.Budget budget = Attachment.Budget.ofHeap();
    /** Sessions being served: the daemon lets them say goodbye before the front door closes. */
    private int active;

    Commands(Hub hub, Say say, Clock clock, long queueLimit) {
        this.hub = hub;
        this.say = say;
        this.clock = clock;
        this.queueLimit = queueLimit;
    }

    @Override
    public int serve(FrontDoorSession s) throws IOException {
        synchronized (this) {
            active++;
        }
        try {
            return command(s);
        } finally {
            synchronized (this) {
                active--;
                notifyAll();
            }
        }
    }

    /** Waits at most {@code millis} for every session being served to end. */
    synchronized void awaitSessions(long millis) {
        long until = System.currentTimeMillis() + millis;
        try {
            while (active > 0) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) return;
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int command(FrontDoorSession s) throws IOException {
        String command = s.command().strip();
        List<String> words = command.isEmpty() ? List.of() : List.of(command.split("\\s+"));
        if (words.isEmpty() || words.get(0).equals("help")) {
            if (words.size() > 1) return malformed(s, "'help' takes no words; got '" + words.get(1) + "'");
            text(s, s.out(), USAGE + "\n" + Listing.table(rows(s.user())));
            return LEFT;
        }
        if (words.get(0).equals("list")) return list(s, words);
        return attach(s, words);
    }

    private int list(FrontDoorSession s, List<String> words) throws IOException {
        boolean json = false;
        for (String w : words.subList(1, words.size())) {
            if (w.equals("--json")) json = true;
            else return malformed(s, "unknown word '" + w + "' after list (valid: --json)");
        }
        List<Listing.Row> rows = rows(s.user());
        text(s, s.out(), json ? Listing.json(rows) : Listing.table(rows));
        return LEFT;
    }

    private List<Listing.Row> rows(String user) {
        DaemonConfig cfg = hub.config();
        List<Listing.Row> rows = new ArrayList<>();
        for (Console c : hub.consoles()) {
            Access.Level level = cfg.access().level(user, c.def());
            if (level != Access.Level.NONE) rows.add(Listing.row(c, level));
        }
        return rows;
    }

    private int attach(FrontDoorSession s, List<String> words) throws IOException {
        String name = words.get(0);
        boolean spy = false;
        boolean force = false;
        Console.Replay replay = null;
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            switch (w) {
                case "--spy" -> spy = true;
                case "--force" -> force = true;
                case "--replay", "--since" -> {
                    if (replay != null) return malformed(s, "give one of --replay and --since, once");
                    if (i + 1 == words.size()) return malformed(s, w + " needs a value");
                    String v = words.get(++i);
                    if (w.equals("--replay")) {
                        if (!v.matches("\\d{1,9}") || Integer.parseInt(v) < 1 || Integer.parseInt(v) > MAX_REPLAY) {
                            return malformed(s, "--replay '" + v + "': expected a number of lines from 1 to " + MAX_REPLAY);
                        }
                        replay = Console.Replay.last(Integer.parseInt(v));
                    } else {
                        Instant from = TimeWords.since(v, clock.instant()).orElse(null);
                        if (from == null) {
                            return malformed(s, "--since '" + v + "': expected an instant such as 2026-11-30T08:00:00Z or a"
                                    + " duration back from now such as 90s, 10m, 2h, 1d (years 0000-9999)");
                        }
                        replay = Console.Replay.since(from);
                    }
                }
                default -> {
                    return malformed(s, "unknown word '" + w + "' (valid after the console: --spy, --force, --replay <n>,"
                            + " --since <time>)");
                }
            }
        }
        if (spy && force) return malformed(s, "--spy and --force exclude each other");
        if (name.startsWith("-")) return malformed(s, "'" + name + "' is no console name; the console comes first");
        Console console = hub.console(name).orElse(null);
        if (console == null) return fail(s, NO_CONSOLE, "no such console '" + name + "'");
        Access.Level level = hub.config().access().level(s.user(), console.def());
        if (level == Access.Level.NONE) return fail(s, NOT_ALLOWED, "you (" + s.user() + ") may not use console '" + name + "'");
        if (force && level != Access.Level.RW) {
            return fail(s, NOT_ALLOWED, "--force needs read-write access to " + console.name() + "; you may only watch it");
        }
        Attachment a = new Attachment(s.user(), s, level, spy, queueLimit, budget);
        console.attach(a, force, replay);
        say.line(s.user() + " attached to " + console.name() + " (" + level.word() + (spy ? ", spy" : "") + ")");
        int status = typing(s, console, a);
        say.line(s.user() + " left " + console.name());
        return status;
    }

    /** Reads what the user types until they leave, input ends, or the daemon ends the session. */
    private int typing(FrontDoorSession s, Console console, Attachment a) throws IOException {
        InputStream in = s.in();
        byte[] buf = new byte[4096];
        try {
            while (!a.ending()) {
                int n;
                try {
                    n = a.read(in, buf);
                } catch (IOException closed) {
                    n = -1;
                }
                if (n < 0) break;
                if (n == 0) continue;
                for (SessionEscapes.Piece p : a.escapes.filter(buf, n)) {
                    console.type(a, p.send());
                    switch (p.command()) {
                        case LEAVE -> {
                            console.detach(a);
                            a.end(LEFT, null);
                        }
                        case HELP -> a.say(SessionEscapes.HELP);
                        case WHO -> a.say(console.who());
                        case FORCE -> console.force(a);
                        case SPY -> console.spy(a);
                        case REPLAY -> console.replay(a, TILDE_R_LINES);
                        case BREAK -> console.sendBreak(a);
                        default -> { }
                    }
                }
            }
            console.detach(a);
            a.end(LEFT, null);
            return a.awaitEnd();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            console.detach(a);
            a.end(NO_CONSOLE, null);
            return NO_CONSOLE;
        }
    }

    private int malformed(FrontDoorSession s, String what) throws IOException {
        return fail(s, MALFORMED, what + "; 'help' shows the commands");
    }

    private int fail(FrontDoorSession s, int status, String what) throws IOException {
        text(s, s.err(), "ctys-consoled: " + what + "\n");
        return status;
    }

    /** Text to the user; on a terminal every line ends with CR LF. */
    private static void text(FrontDoorSession s, OutputStream out, String text) throws IOException {
        String t = s.terminal() ? text.replace("\r\n", "\n").replace("\n", "\r\n") : text;
        synchronized (s) {
            out.write(t.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
