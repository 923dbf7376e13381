package org.ctys.consoled;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.ctys.transport.ssh.server.FrontDoorSession;
import org.ctys.transport.ssh.server.OutputQueue;

/**
 * One user attached to one console. What goes to the user (console output, the daemon's
 * messages, replay) is given to the session's {@link OutputQueue}, which never waits for the
 * client: the console's reader puts its bytes on the user's connection itself when nothing else is
 * on its way (no hand-over to another thread), and a user whose client reads slowly or not at all
 * never slows the console, its log or the other users: console output beyond {@link #limit} bytes
 * waiting is not kept, and the user is told and detached instead.
 */
final class Attachment {

    final String user;
    final FrontDoorSession session;
    final SessionEscapes escapes = new SessionEscapes();
    /** Read-only or read-write: may change on a reload. */
    volatile Access.Level level;
    /** Never writes, never takes the write by typing. */
    volatile boolean spy;
    /** When the last reminder that typing was dropped went out (System.nanoTime), 0 for never. */
    long lastReminder;

    /**
     * What may wait besides console output (replays, help, the daemon's messages, all asked for or
     * small): a user who keeps asking (~? ~w) and reads nothing is detached past it, and one replay
     * larger than it is refused with a message. One replay is at most 8 MiB of log
     * ({@link ConsoleLog}); a replay asked for while an earlier one still waits is not sent.
     */
    static final long RAW_LIMIT = 16L << 20;
    /** An earlier replay counts as still waiting while more than this of the replies waits. */
    static final long REPLAY_PENDING = 64L << 10;

    /**
     * Everything that waits for the users of the daemon, and how much it may be. Past it, only the
     * users who hold a share of it are held to it: console output for such a user counts as their
     * falling behind, a replay for them is not sent, and a reply (~? ~w, a message) past it detaches
     * them; a user with less than {@link #SHARE} waiting is served as ever. So many sessions that
     * read nothing (one user's, or many users') never run the daemon out of memory, and never get
     * the users who read what they are sent detached.
     */
    record Budget(OutputQueue.Backlog unsent, long limit) {
        /** What a user may always have waiting, whatever the others hold. */
        static final long SHARE = 256L << 10;

        /** A quarter of the heap, at most 1 GiB. */
        static Budget ofHeap() {
            return new Budget(new OutputQueue.Backlog(), Math.min(Runtime.getRuntime().maxMemory() / 4, 1L << 30));
        }

        /** Whether {@code bytes} more may wait for a user who has {@code own} waiting already. */
        boolean fits(long own, long bytes) { return own + bytes <= SHARE || unsent.bytes() + bytes <= limit; }
    }

    private final long limit;
    private final Budget budget;
    private final OutputQueue out;
    /** Console output given and not yet written. */
    private final OutputQueue.Backlog live;
    /** Everything else given and not yet written. */
    private final OutputQueue.Backlog replies;
    private boolean ending;
    private int status;
    /** The thread reading what the user types, while it waits in a read: the daemon's end of the session wakes it. */
    private Thread reader;
    private boolean reading;

    /** With a budget of its own, as large as the heap's share: for tests of one user. */
    Attachment(String user, FrontDoorSession session, Access.Level level, boolean spy, long limit) {
        this(user, session, level, spy, limit, Budget.ofHeap());
    }

    Attachment(String user, FrontDoorSession session, Access.Level level, boolean spy, long limit, Budget budget) {
        this.user = user;
        this.session = session;
        this.level = level;
        this.spy = spy;
        this.limit = limit;
        this.budget = budget;
        this.live = new OutputQueue.Backlog(budget.unsent());
        this.replies = new OutputQueue.Backlog(budget.unsent());
        this.out = session.queue();
    }

    /**
     * Console output for this user; never waits for the client (the caller's thread may write it to
     * the connection). False when more than the limit is waiting: the caller detaches this user (the
     * output is not kept).
     */
    synchronized boolean offer(byte[] data) {
        if (ending) return true;
        if (live.bytes() + data.length > limit || !budget.fits(live.bytes() + replies.bytes(), data.length)) return false;
        if (!out.send(data, live)) gone();
        return true;
    }

    /** A message of the daemon on a line of its own: {@code \r\n[ctys-consoled: text]\r\n}. */
    void say(String text) {
        raw(line(text));
    }

    private static byte[] line(String text) {
        return ("\r\n[ctys-consoled: " + text + "]\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A replay from the log: sent as {@link #raw} is, unless an earlier replay still waits for this
     * user or the daemon's budget for all users has no room for it; then the user is told, and may
     * ask again.
     */
    void replay(byte[] bytes) {
        String refused = null;
        synchronized (this) {
            if (ending || bytes.length == 0) return;
            if (replies.bytes() > REPLAY_PENDING) {
                refused = "an earlier replay has not reached you yet; this one is not sent (ask again once it has)";
            } else if (!budget.fits(live.bytes() + replies.bytes(), bytes.length)) {
                refused = "the daemon holds all it keeps for its users' unread output (" + (budget.limit() >> 20)
                        + " MiB); this replay is not sent, ask again shortly";
            }
        }
        if (refused != null) say(refused);
        else raw(bytes);
    }

    /** Bytes for the user outside the live limit (replay, help, messages: asked for, or small), within {@link #RAW_LIMIT}. */
    void raw(byte[] bytes) {
        String overflow = null;
        synchronized (this) {
            if (ending || bytes.length == 0) return;
            if (bytes.length > RAW_LIMIT) {
                bytes = ("\r\n[ctys-consoled: that is " + (bytes.length >> 20) + " MiB, more than the " + (RAW_LIMIT >> 20)
                        + " MiB sent to a user at once; ask for fewer lines or a later time]\r\n").getBytes(StandardCharsets.UTF_8);
            }
            long own = live.bytes() + replies.bytes();
            if (replies.bytes() + bytes.length > RAW_LIMIT) {
                overflow = "more than " + (RAW_LIMIT >> 20) + " MiB of replays and replies wait for you unread; detached";
            } else if (!budget.fits(own, bytes.length)) {
                overflow = "the daemon holds all it keeps for its users' unread output, " + (own >> 10) + " KiB of it for you; detached";
            }
            if (overflow == null && !out.send(bytes, replies)) gone();
        }
        if (overflow != null) dropAndEnd(1, overflow);
    }

    /** Nothing more goes out (the session ends, or the client is gone), and the thread reading its input is woken. Under the lock. */
    private void gone() {
        ending = true;
        if (reading) reader.interrupt();
    }

    /**
     * Ends the session: what waits (and {@code message}, if any) still goes out, then the
     * session's thread returns {@code exitStatus}, which the client sees. Output offered later is
     * dropped. The first end wins. The session's thread is woken from its read of the user's input
     * by an interrupt, and only there: closing the session instead would close the channel before
     * the exit status is sent, and an interrupt elsewhere (a write to the console's link) could
     * close the link's channel.
     */
    void end(int exitStatus, String message) {
        synchronized (this) {
            if (ending) return;
            // the last words go out past the replies' room: a user detached for filling it is still told why
            if (message != null) out.send(line(message), replies);
            status = exitStatus;
            gone();
        }
    }

    /** What the user typed, as {@link InputStream#read(byte[])}; -1 at end of input or once the session is ending. */
    int read(java.io.InputStream in, byte[] buf) throws IOException {
        synchronized (this) {
            if (ending) return -1;
            reader = Thread.currentThread();
            reading = true;
        }
        try {
            return in.read(buf);
        } catch (java.io.InterruptedIOException woken) {
            return -1;
        } finally {
            synchronized (this) {
                reading = false;
                Thread.interrupted(); // an end() that came after the read returned: its flag must not reach a link's write
            }
        }
    }

    /** Drops what waits (a user who fell behind) and ends with {@code message}. */
    void dropAndEnd(int exitStatus, String message) {
        synchronized (this) {
            if (ending) return;
            out.discard();
        }
        end(exitStatus, message);
    }

    synchronized boolean ending() { return ending; }

    /**
     * Waits until what waits has gone out, and gives the session's exit status; a client that
     * takes nothing for the front door's stall limit is dropped instead.
     */
    int awaitEnd() throws InterruptedException {
        out.awaitUnsent(0);
        synchronized (this) {
            return status;
        }
    }
}
