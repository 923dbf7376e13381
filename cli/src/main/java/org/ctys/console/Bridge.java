package org.ctys.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.ctys.console.SerialConsole.End;
import org.ctys.console.SerialConsole.Outcome;
import org.ctys.spi.ControlChars;

/**
 * One console session's traffic, the same for every kind: what the far end prints goes to the
 * screen (and the log), what is typed goes to the far end through the escapes (on a terminal
 * only: piped input is data, as ssh treats it, and a script leaves by ending it). The link is
 * asked every few seconds whether it is still alive: a console that prints nothing may be idle or
 * gone, and some BMCs end a session whose only traffic is the console's.
 */
final class Bridge {
    private static final long POLL_MILLIS = 20;
    private static final long ALIVE_EVERY_MILLIS = 5_000;
    /** After the end of piped input, what a far end that cannot be told still prints is shown for this long. */
    private static final long DRAIN_MILLIS = 1_000;
    /** How long the typing thread gets to end its last poll (100 ms) once the session has ended. */
    private static final long TYPING_END_MILLIS = 1_000;
    /** How long the far end's own end key follows the bytes typed before it, so that it is read on its own. */
    static final long END_KEY_ALONE_MILLIS = 100;
    /** How long a far end has to end on its end key before the session leaves by itself. */
    static final long END_KEY_GRACE_MILLIS = 2_000;
    private static final String LEFT_WITH_TILDE = "left with ~.";

    private final ConsoleLink link;
    private final InputStream in;
    private final OutputStream out;
    private final PrintStream err;
    private final boolean terminal;
    private final SessionLog log;
    private final AtomicReference<Outcome> ended = new AtomicReference<>();
    /** Set when piped input ended: the far end was told (it will end by itself) or not (drain, then leave). */
    private volatile long inputEndedAt;
    private volatile boolean farEndTold;
    /** When the far end's end key was sent (System.currentTimeMillis), 0 before. */
    private volatile long endKeyAt;
    /** When typed bytes last went to the far end (System.nanoTime), 0 before. */
    private long lastSent;

    Bridge(ConsoleLink link, InputStream in, OutputStream out, PrintStream err, boolean terminal, SessionLog log) {
        this.link = link;
        this.in = in;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.log = log;
    }

    Outcome run(String what, BooleanSupplier stop) { return run(what, stop, () -> null); }

    /** @param finished null while what the console watches goes on, then why it is left ("its boot job has ended") */
    Outcome run(String what, BooleanSupplier stop, Supplier<String> finished) {
        if (terminal) err.print("[ctys: attached to " + ControlChars.escape(what) + "; ~. leaves, ~? helps]\r\n");
        if (log != null) log.started(what);
        Thread typing = new Thread(this::type, "ctys-console-input");
        typing.setDaemon(true);
        typing.start();
        Outcome o = show(stop, finished);
        if (terminal) awaitEnd(typing);
        if (terminal) {
            err.print("\r\n[ctys: " + switch (o.end()) {
                case ENDED -> ControlChars.escape(what) + " ended with status " + o.status();
                case LOST, FINISHED -> "left " + ControlChars.escape(what) + ": " + ControlChars.escape(o.message());
                case LEFT -> "left " + ControlChars.escape(what) + (o.message().equals(LEFT_WITH_TILDE) ? "" : ": " + o.message());
                default -> "left " + ControlChars.escape(what);
            } + "]\r\n");
        }
        if (log != null) log.ended(o.end() == End.ENDED ? "ended with status " + o.status() : o.message());
        return o;
    }

    /** Shows what arrives until the session ends, and says how it ended. */
    private Outcome show(BooleanSupplier stop, Supplier<String> finished) {
        long lastAsked = System.currentTimeMillis();
        try {
            while (true) {
                Outcome o = ended.get();
                if (o != null) return o;
                if (stop.getAsBoolean()) return first(new Outcome(End.STOPPED, "stopped by the overall --timeout or a signal"));
                String done = finished.get();
                if (done != null) return first(new Outcome(End.FINISHED, done));
                byte[] data = link.read();
                long now = System.currentTimeMillis();
                if (data.length > 0) {
                    out.write(data);
                    out.flush();
                    if (log != null) log.output(data, data.length);
                }
                // asked whatever flows: a BMC may count only its own requests as a session's life
                if (now - lastAsked >= ALIVE_EVERY_MILLIS) {
                    link.checkAlive();
                    lastAsked = System.currentTimeMillis();
                }
                if (inputEndedAt != 0 && !farEndTold && now - inputEndedAt >= DRAIN_MILLIS) {
                    return first(new Outcome(End.INPUT_ENDED, "input ended"));
                }
                if (endKeyAt != 0 && now - endKeyAt >= END_KEY_GRACE_MILLIS) {
                    return first(new Outcome(End.LEFT, "it did not end on Ctrl-] within " + END_KEY_GRACE_MILLIS / 1000 + " s"));
                }
                if (data.length == 0) link.await(POLL_MILLIS);
            }
        } catch (ConsoleLink.Ended e) {
            return first(new Outcome(End.ENDED, "ended", e.status()));
        } catch (IOException e) {
            // what the console watched ended meanwhile (a machine that powered off at the end of its job
            // takes its console with it): that end is the session's
            String done = finished.get();
            return first(done != null ? new Outcome(End.FINISHED, done) : new Outcome(End.LOST, String.valueOf(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return first(new Outcome(End.STOPPED, "interrupted"));
        }
    }

    /**
     * Lets the typing thread finish its last poll before the terminal is given back: a timed read
     * of JLine's sets VMIN and VTIME around itself (through stty), and one still under way when
     * the caller restores the terminal left it with VMIN 0 and VTIME 1 (seen once in CI). It ends
     * within one poll once the session has; bounded all the same.
     */
    private static void awaitEnd(Thread typing) {
        try {
            typing.join(TYPING_END_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first end that happened is the session's. */
    private Outcome first(Outcome o) {
        ended.compareAndSet(null, o);
        return ended.get();
    }

    /** Copies what is typed to the far end until the session ends (or the far end's end key was sent). */
    private void type() {
        EscapeFilter escapes = !terminal ? null : link.ownEscapes() ? EscapeFilter.leaveOnly() : new EscapeFilter();
        byte[] buf = new byte[256];
        try {
            while (ended.get() == null) {
                int n = TypedInput.read(in, buf, terminal);
                if (n < 0) break;
                if (n == TypedInput.NOTHING_YET) continue;
                if (escapes == null) {
                    link.write(buf, n);
                    continue;
                }
                for (EscapeFilter.Result r : escapes.filter(buf, n)) {
                    if (r.send().length > 0 && !send(r.send())) return;
                    switch (r.command()) {
                        case LEAVE -> {
                            first(new Outcome(End.LEFT, LEFT_WITH_TILDE));
                            return;
                        }
                        case HELP -> err.print("\r\n" + (link.ownEscapes() ? EscapeFilter.LEAVE_HELP : EscapeFilter.help(link.hasBreak())));
                        case BREAK -> {
                            if (!link.hasBreak() || !link.sendBreak()) err.print("\r\n[ctys: this console has no break; nothing sent]\r\n");
                        }
                        default -> { }
                    }
                }
            }
            if (ended.get() != null) return;
            farEndTold = link.endInput();
            inputEndedAt = System.currentTimeMillis();
        } catch (ConsoleLink.Ended e) {
            first(new Outcome(End.ENDED, "ended", e.status())); // typed into a shell that had just exited
        } catch (IOException e) {
            first(new Outcome(End.LOST, String.valueOf(e.getMessage())));
        } catch (RuntimeException | java.io.IOError e) {
            // the terminal or the link failed in a way of its own (JLine wraps a failed stty in IOError):
            // the session ends and says so, rather than going on with no one reading the keyboard
            first(new Outcome(End.LOST, "reading the keyboard failed: " + e));
        }
    }

    /**
     * Sends typed bytes; the far end's end key alone, {@link #END_KEY_ALONE_MILLIS} behind what went
     * before it, and nothing typed after it. False once the end key was sent.
     */
    private boolean send(byte[] data) throws IOException {
        int key = link.endKey();
        int at = -1;
        for (int i = 0; key >= 0 && i < data.length && at < 0; i++) if ((data[i] & 0xff) == key) at = i;
        if (at < 0) {
            link.write(data, data.length);
            lastSent = System.nanoTime();
            return true;
        }
        if (at > 0) {
            link.write(data, at);
            lastSent = System.nanoTime();
        }
        long since = System.nanoTime() - lastSent;
        long alone = END_KEY_ALONE_MILLIS * 1_000_000L;
        if (lastSent != 0 && since < alone) java.util.concurrent.locks.LockSupport.parkNanos(alone - since);
        link.write(new byte[] {(byte) key}, 1);
        endKeyAt = System.currentTimeMillis();
        return false;
    }
}
