package org.ctys.consoled;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ctys.console.ConsoleLink;

/**
 * One console the daemon holds open: a reader thread that opens its far end, writes every chunk
 * to the console's log first and then hands it to every attached user, and reopens it alone, with
 * back-off, when it drops. The writer rule lives here: one user writes, the others watch.
 *
 * <p>The reader thread is never interrupted: the log writes through a FileChannel, which an
 * interrupt would close for good. Closing the console or changing its endpoint closes the link
 * (its read then throws) and wakes the back-off wait instead.
 */
final class Console {

    enum State { OPENING, UP, DOWN }

    /** How long the reader waits in the link for data before looking at its flags again. */
    static final long AWAIT_MILLIS = 1_000;
    /** How often a link that says nothing is asked whether it is still there. */
    static final Duration ALIVE_EVERY = Duration.ofSeconds(5);
    /** A reminder that typing was dropped goes out at most this often per user. */
    static final long REMINDER_NANOS = 10_000_000_000L;

    private final String name;
    private final EndpointOpener opener;
    private final Journal journal;
    private final Say say;
    private final Clock clock;
    private final Pause pause;
    /** Guards the attached users, the writer, and the order of log and delivery. */
    private final Object lock = new Object();
    private final List<Attachment> attached = new ArrayList<>();
    private Attachment writer;
    private volatile ConsoleDef def;
    private volatile ConsoleLink link;
    private volatile State state = State.OPENING;
    private volatile Instant since;
    private volatile String error;
    private volatile boolean closing;
    private volatile boolean changed;
    private boolean everUp;
    private long logFailureReported;
    private Thread reader;

    /** Each user's level by the configuration of the last reload, for attaches that began before it; null before any. Under the lock. */
    private java.util.function.Function<String, Access.Level> levels;

    Console(ConsoleDef def, EndpointOpener opener, Journal journal, Say say, Clock clock, Pause pause) {
        this.def = def;
        this.name = def.name();
        this.opener = opener;
        this.journal = journal;
        this.say = say;
        this.clock = clock;
        this.pause = pause;
        this.since = clock.instant();
    }

    String name() { return name; }

    ConsoleDef def() { return def; }

    State state() { return state; }

    Instant since() { return since; }

    /** The last open or read failure while down; null while up. */
    String error() { return state == State.UP ? null : error; }

    long logBytes() { return journal.bytes(); }

    Journal journal() { return journal; }

    void start() {
        reader = new Thread(this::read, "consoled-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    // ---- the reader ----

    private void read() {
        Backoff backoff = new Backoff();
        while (!closing) {
            Endpoint endpoint = def.endpoint();
            changed = false;
            // a console being reopened stays down, with its error, until it is up again
            if (state != State.DOWN) state = State.OPENING;
            ConsoleLink l;
            try {
                l = opener.open(name, endpoint);
            } catch (IOException | RuntimeException e) {
                down(reason(e), backoff.next());
                continue;
            } catch (Error e) {
                down(failed(e), backoff.next());
                continue;
            }
            if (closing || changed) {
                closeLink(l);
                continue;
            }
            link = l;
            up(endpoint);
            Instant upAt = clock.instant();
            String why = stream(l);
            link = null;
            closeLink(l);
            if (closing) break;
            if (changed) {
                announce(name + " changed in the configuration: now " + def.endpoint().describe());
                backoff = new Backoff();
                continue;
            }
            backoff.wasUp(Duration.between(upAt, clock.instant()));
            down(why, backoff.next());
        }
    }

    /** Reads until the link is gone (the reason) or the console is closed or changed (null). */
    private String stream(ConsoleLink l) {
        Instant asked = clock.instant();
        try {
            while (!closing && !changed) {
                byte[] data = l.read();
                if (data.length > 0) deliver(data);
                else l.await(AWAIT_MILLIS);
                Instant now = clock.instant();
                if (Duration.between(asked, now).compareTo(ALIVE_EVERY) >= 0) {
                    l.checkAlive();
                    asked = now;
                }
            }
            return null;
        } catch (ConsoleLink.Ended e) {
            return closing || changed ? null : "it ended with status " + e.status();
        } catch (IOException | RuntimeException e) {
            return closing || changed ? null : reason(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return closing || changed ? null : "interrupted";
        } catch (Error e) {
            // the daemon out of memory, a bug: this console goes down and is reopened as after any
            // failure, and the others never notice; a reader thread that died would leave it "up" and dead
            return closing || changed ? null : failed(e);
        }
    }

    private static String failed(Error e) {
        return "its reader failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + reason(e));
    }

    private static String reason(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** The log first, then every attached user; a user too far behind is detached, the others never wait. */
    private void deliver(byte[] data) {
        synchronized (lock) {
            try {
                journal.data(data, 0, data.length);
            } catch (IOException e) {
                long now = System.nanoTime();
                if (logFailureReported == 0 || now - logFailureReported > 60_000_000_000L) {
                    logFailureReported = now;
                    say.line("cannot write the log of " + name + ": " + reason(e));
                }
            }
            List<Attachment> behind = null;
            for (Attachment a : attached) {
                if (!a.offer(data)) {
                    if (behind == null) behind = new ArrayList<>(1);
                    behind.add(a);
                }
            }
            if (behind != null) {
                for (Attachment a : behind) {
                    remove(a);
                    say.line(a.user + " fell behind on " + name + " and was detached");
                    a.dropAndEnd(1, "you fell behind " + name + "'s output by more than the daemon keeps for a user;"
                            + " detached (attach again; --replay shows what you missed)");
                }
            }
        }
    }

    private void up(Endpoint endpoint) {
        state = State.UP;
        since = clock.instant();
        error = null;
        mark(name + " up (" + endpoint.describe() + ")");
        say.line(name + " up (" + endpoint.describe() + ")");
        if (everUp) announce(name + " up again");
        everUp = true;
    }

    private void down(String why, Duration wait) {
        boolean news = state != State.DOWN || !why.equals(error);
        if (state != State.DOWN) since = clock.instant();
        state = State.DOWN;
        error = why;
        String again = "reopening in " + TimeWords.format(wait);
        if (news) {
            mark(name + " down: " + why);
            say.line(name + " down: " + why + "; " + again);
        }
        announce(name + " down: " + why + "; " + again);
        pause.pause(wait, () -> closing || changed);
    }

    private void mark(String text) {
        try {
            journal.mark(text);
        } catch (IOException e) {
            say.line("cannot write the log of " + name + ": " + reason(e));
        }
    }

    private static void closeLink(ConsoleLink l) {
        if (l instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // it is gone either way
            }
        }
    }

    // ---- users ----

    /**
     * Attaches a user: {@code replay} (from disk) first, then live output, with nothing lost or
     * doubled between them (both under the lock the reader logs and delivers under).
     */
    void attach(Attachment a, boolean force, Replay replay) throws IOException {
        if (replay != null) replay.prepare(journal);
        synchronized (lock) {
            if (closing) {
                a.end(1, name + " is closing");
                return;
            }
            // the level was taken from the configuration before this lock: a reload may have changed it since
            if (levels != null) {
                Access.Level now = levels.apply(a.user);
                if (now == Access.Level.NONE) {
                    a.end(3, "your access to " + name + " was withdrawn by a reload of the configuration");
                    return;
                }
                a.level = now;
            }
            if (replay != null) a.replay(replay.read(journal));
            attached.add(a);
            String role;
            if (force && a.level == Access.Level.RW) {
                takeWrite(a);
                role = "you write";
            } else if (!a.spy && a.level == Access.Level.RW && writer == null) {
                writer = a;
                tellOthers(a, a.user + " writes");
                role = "you write";
            } else if (a.spy) {
                role = "you spy" + (a.level == Access.Level.RW ? "; ~f takes the write" : "");
            } else if (a.level == Access.Level.RO) {
                role = (writer == null ? "you watch" : writer.user + " writes, you watch") + " (read-only)";
            } else {
                role = writer.user + " writes, you watch; ~f takes over";
            }
            a.say(status() + "; " + role + "; ~? for help");
        }
    }

    /** "lab07 up (serial /dev/ttyS0 115200)", "lab07 down (...): why". */
    private String status() {
        Endpoint e = def.endpoint();
        return switch (state) {
            case UP -> name + " up (" + e.describe() + ")";
            case OPENING -> name + " opening (" + e.describe() + ")";
            default -> name + " down (" + e.describe() + "): " + error;
        };
    }

    /** The user left ({@code ~.} or end of input); the write is free if they had it. */
    void detach(Attachment a) {
        synchronized (lock) {
            remove(a);
        }
    }

    private void remove(Attachment a) {
        attached.remove(a);
        // a writer detached otherwise (a reload withdrew its access) still frees the write here
        if (writer == a) {
            writer = null;
            for (Attachment o : attached) o.say(a.user + " left; the write is free: the next to type takes it");
        }
    }

    /** Typed bytes (escapes taken out): to the machine if this user writes or may take the free write. */
    void type(Attachment a, byte[] bytes) {
        if (bytes.length == 0) return;
        ConsoleLink l;
        synchronized (lock) {
            if (!mayWrite(a)) return;
            l = link;
            if (l == null) {
                remind(a, name + " is " + state.name().toLowerCase(java.util.Locale.ROOT) + "; typing dropped");
                return;
            }
        }
        try {
            l.write(bytes, bytes.length);
        } catch (IOException e) {
            // mostly the link is going, and the reader says so to everyone; a line that is up but takes
            // no input (flow control holding a serial line) says why to the one who typed
            synchronized (lock) {
                if (link == l && state == State.UP) remind(a, e.getMessage() + "; typing dropped");
            }
        }
    }

    /** Whether {@code a} writes now, taking the free write if allowed; else reminds them (at most every 10 s). */
    private boolean mayWrite(Attachment a) {
        // what a detached user's session still had read (its last keystrokes as it ended) reaches no machine
        if (!attached.contains(a)) return false;
        if (writer == a) return true;
        if (writer == null && a.level == Access.Level.RW && !a.spy) {
            writer = a;
            announceAll(a.user + " writes");
            return true;
        }
        if (a.level == Access.Level.RO) remind(a, "you may only watch " + name + " (read-only); typing dropped");
        else if (a.spy) remind(a, "you spy; typing dropped; ~f takes the write");
        else remind(a, writer.user + " writes, you watch; typing dropped; ~f takes over");
        return false;
    }

    private void remind(Attachment a, String text) {
        long now = System.nanoTime();
        if (a.lastReminder != 0 && now - a.lastReminder < REMINDER_NANOS) return;
        a.lastReminder = now;
        a.say(text);
    }

    /** {@code ~f}: read-write users only; everyone attached is told. */
    void force(Attachment a) {
        synchronized (lock) {
            if (!attached.contains(a)) return;
            if (a.level != Access.Level.RW) {
                a.say("you may only watch " + name + " (read-only)");
                return;
            }
            if (writer == a) {
                a.say("you write already");
                return;
            }
            a.spy = false;
            takeWrite(a);
        }
    }

    private void takeWrite(Attachment a) {
        Attachment from = writer;
        writer = a;
        a.spy = false;
        announceAll(from == null ? a.user + " writes" : a.user + " took the write from " + from.user);
    }

    /** {@code ~s}: gives up the write and never takes it by typing. */
    void spy(Attachment a) {
        synchronized (lock) {
            a.spy = true;
            if (writer == a) {
                writer = null;
                a.say("you spy now; the write is free");
                tellOthers(a, a.user + " gave up the write; the next to type takes it");
            } else {
                a.say("you spy now");
            }
        }
    }

    /** {@code ~w}: "lab07: alice writes; watching: bob; spying: carol". */
    String who() {
        synchronized (lock) {
            List<String> watching = new ArrayList<>();
            List<String> spying = new ArrayList<>();
            for (Attachment o : attached) {
                if (o == writer) continue;
                (o.spy ? spying : watching).add(o.user);
            }
            return name + ": " + (writer == null ? "nobody writes" : writer.user + " writes") + "; watching: "
                    + (watching.isEmpty() ? "nobody" : String.join(", ", watching))
                    + (spying.isEmpty() ? "" : "; spying: " + String.join(", ", spying));
        }
    }

    /** {@code ~B}: a break, sent as typing is (the writer only). */
    void sendBreak(Attachment a) {
        ConsoleLink l;
        synchronized (lock) {
            if (!mayWrite(a)) return;
            l = link;
        }
        try {
            if (l == null || !l.hasBreak() || !l.sendBreak()) a.say(name + " has no break; nothing sent");
        } catch (IOException e) {
            a.say("the break was not sent: " + reason(e));
        }
    }

    /** {@code ~r}: the last lines from the log. */
    void replay(Attachment a, int lines) {
        synchronized (lock) {
            try {
                a.replay(journal.last(lines));
            } catch (IOException e) {
                a.say("cannot read " + name + "'s log: " + reason(e));
            }
        }
    }

    /** Who writes, watches and spies: for {@code list}. */
    Attached attached() {
        synchronized (lock) {
            List<String> watchers = new ArrayList<>();
            List<String> spies = new ArrayList<>();
            for (Attachment o : attached) {
                if (o == writer) continue;
                (o.spy ? spies : watchers).add(o.user);
            }
            return new Attached(writer == null ? null : writer.user, watchers, spies);
        }
    }

    record Attached(String writer, List<String> watchers, List<String> spies) {}

    /**
     * After a reload: each attached user's access as the new configuration gives it. A user who lost
     * it is detached (exit 3); one who may only read now loses the write.
     */
    void reaccess(java.util.function.Function<String, Access.Level> levelOf) {
        synchronized (lock) {
            levels = levelOf;
            for (Attachment a : List.copyOf(attached)) {
                Access.Level now = levelOf.apply(a.user);
                if (now == a.level) continue;
                if (now == Access.Level.NONE) {
                    a.level = now;
                    remove(a);
                    a.end(3, "your access to " + name + " was withdrawn by a reload of the configuration");
                    continue;
                }
                a.level = now;
                if (now == Access.Level.RO && writer == a) {
                    writer = null;
                    a.say("you may only watch " + name + " now (read-only); the write is free");
                    tellOthers(a, a.user + " may only watch now; the next to type takes the write");
                } else {
                    a.say("your access to " + name + " is now " + (now == Access.Level.RW ? "read-write" : "read-only"));
                }
            }
        }
    }

    /** A reload gave this console new groups, or a new endpoint: then the link is reopened, users stay. */
    void redefine(ConsoleDef next) {
        boolean newEndpoint = !next.endpoint().equals(def.endpoint());
        def = next;
        if (newEndpoint) {
            changed = true;
            ConsoleLink l = link;
            if (l != null) closeLink(l);
            pause.wake();
        }
    }

    /** Marks {@code why} in the log, tells every user (who leave with status 1), closes the link and the log. */
    void close(String why, long waitMillis) {
        synchronized (lock) {
            closing = true;
            for (Attachment a : attached) a.end(1, why);
            attached.clear();
            writer = null;
        }
        ConsoleLink l = link;
        if (l != null) closeLink(l);
        pause.wake();
        if (reader != null) {
            try {
                reader.join(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        mark(why);
        journal.close();
    }

    private void announce(String text) {
        synchronized (lock) {
            for (Attachment a : attached) a.say(text);
        }
    }

    private void announceAll(String text) {
        for (Attachment a : attached) a.say(text);
    }

    private void tellOthers(Attachment except, String text) {
        for (Attachment a : attached) if (a != except) a.say(text);
    }

    /** What an attach replays from the log before live output. */
    interface Replay {
        byte[] read(Journal journal) throws IOException;

        static Replay last(int lines) { return j -> j.last(lines); }

        static Replay since(Instant from) {
            return new Replay() {
                @Override
                public byte[] read(Journal j) throws IOException { return j.since(from); }

                @Override
                public void prepare(Journal j) { j.prepareSince(); }
            };
        }

        /** What can be done before the console's lock is taken (its output waits while the lock is held). */
        default void prepare(Journal journal) {}
    }
}
