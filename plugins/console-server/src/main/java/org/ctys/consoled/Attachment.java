package org.ctys.consoled;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.ctys.transport.ssh.server.FrontDoorSession;

/**
 * One user attached to one console. What goes to the user (console output, the daemon's
 * messages, replay) waits in a queue that a thread of its own writes out, so a user whose client
 * reads slowly or not at all never slows the console, its log or the other users: console output
 * beyond {@link #limit} bytes waiting is not kept, and the user is told and detached instead.
 */
final class Attachment {

    /** How long the last words to a user who is being detached may take to go out. */
    static final long GOODBYE_MILLIS = 10_000;

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
     * small): a user who keeps asking (~? ~r) and reads nothing is detached past it, and one replay
     * larger than it is refused with a message.
     */
    static final long RAW_LIMIT = 64L << 20;

    private final long limit;
    /** What waits for the pump; {@code live}: console output, counted in {@link #pending}, else in {@link #pendingRaw}. */
    private record Chunk(byte[] data, boolean live) {}
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private long pending;
    private long pendingRaw;
    private boolean ending;
    private int status;
    private boolean done;
    private final Thread pump;
    /** The thread reading what the user types, while it waits in a read: the daemon's end of the session wakes it. */
    private Thread reader;
    private boolean reading;

    Attachment(String user, FrontDoorSession session, Access.Level level, boolean spy, long limit) {
        this.user = user;
        this.session = session;
        this.level = level;
        this.spy = spy;
        this.limit = limit;
        this.pump = new Thread(this::pump, "consoled-out-" + user);
        pump.setDaemon(true);
    }

    void start() { pump.start(); }

    /**
     * Console output for this user; never blocks. False when more than the limit is waiting: the
     * caller detaches this user (the output is not kept).
     */
    synchronized boolean offer(byte[] data) {
        if (ending) return true;
        if (pending + data.length > limit) return false;
        queue.add(new Chunk(data, true));
        pending += data.length;
        notifyAll();
        return true;
    }

    /** A message of the daemon on a line of its own: {@code \r\n[ctys-consoled: text]\r\n}. */
    void say(String text) {
        raw(("\r\n[ctys-consoled: " + text + "]\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes for the user outside the live limit (replay, help, messages: asked for, or small), within {@link #RAW_LIMIT}. */
    void raw(byte[] bytes) {
        boolean overflow;
        synchronized (this) {
            if (ending || bytes.length == 0) return;
            if (bytes.length > RAW_LIMIT) {
                bytes = ("\r\n[ctys-consoled: that is " + (bytes.length >> 20) + " MiB, more than the " + (RAW_LIMIT >> 20)
                        + " MiB sent to a user at once; ask for fewer lines or a later time]\r\n").getBytes(StandardCharsets.UTF_8);
            }
            overflow = pendingRaw + bytes.length > RAW_LIMIT;
            if (!overflow) {
                queue.add(new Chunk(bytes, false));
                pendingRaw += bytes.length;
                notifyAll();
            }
        }
        if (overflow) {
            dropAndEnd(1, "more than " + (RAW_LIMIT >> 20) + " MiB of replays and replies wait for you unread; detached");
        }
    }

    /**
     * Ends the session: what is queued (and {@code message}, if any) still goes out, then the
     * session's thread returns {@code exitStatus}, which the client sees. Output offered later is
     * dropped. The first end wins. The session's thread is woken from its read of the user's input
     * by an interrupt, and only there: closing the session instead would close the channel before
     * the exit status is sent, and an interrupt elsewhere (a write to the console's link) could
     * close the link's channel.
     */
    void end(int exitStatus, String message) {
        if (message != null) say(message);
        synchronized (this) {
            if (ending) return;
            ending = true;
            status = exitStatus;
            notifyAll();
            if (reading) reader.interrupt();
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

    /** Drops what is queued (a user who fell behind) and ends with {@code message}. */
    void dropAndEnd(int exitStatus, String message) {
        synchronized (this) {
            if (ending) return;
            queue.clear();
            pending = 0;
            pendingRaw = 0;
        }
        end(exitStatus, message);
    }

    synchronized boolean ending() { return ending; }

    /** Waits (bounded) until the pump has written what was queued, and gives the session's exit status. */
    int awaitEnd() throws InterruptedException {
        synchronized (this) {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GOODBYE_MILLIS);
            while (!done) {
                long left = until - System.nanoTime();
                if (left <= 0) break;
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return status;
        }
    }

    private void pump() {
        OutputStream out = session.out();
        try {
            while (true) {
                byte[] next;
                synchronized (this) {
                    while (queue.isEmpty() && !ending) wait();
                    if (queue.isEmpty()) break;
                    Chunk c = queue.poll();
                    next = c.data();
                    if (c.live()) pending -= next.length;
                    else pendingRaw -= next.length;
                }
                synchronized (session) {
                    out.write(next);
                    if (queueEmpty()) out.flush();
                }
            }
            synchronized (session) {
                out.flush();
            }
        } catch (IOException gone) {
            // the client went away: its session ends below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                ending = true;
                queue.clear();
                pending = 0;
                pendingRaw = 0;
                done = true;
                notifyAll();
                if (reading) reader.interrupt(); // the client is gone: its input will not end by itself
            }
        }
    }

    private synchronized boolean queueEmpty() { return queue.isEmpty(); }
}
