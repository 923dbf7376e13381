package org.ctys.console;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * A serial console (Serial-over-LAN now, local serial lines later) bridged to the local
 * terminal: raw while attached and restored on every way out, the escape sequences of
 * {@link EscapeFilter}, and a link that is asked every few seconds whether it is still alive: a
 * console that prints nothing may be idle or gone, and some BMCs end a session whose only traffic
 * is the console's.
 */
public final class SerialConsole {
    private static final long POLL_MILLIS = 20;
    private static final long ALIVE_EVERY_MILLIS = 5_000;
    /** After the end of piped input, what the machine still prints is shown for this long. */
    private static final long DRAIN_MILLIS = 1_000;

    /** How the console ended. */
    public enum End { LEFT, INPUT_ENDED, LOST, STOPPED }

    public record Outcome(End end, String message) {
    }

    private SerialConsole() {}

    /**
     * Runs until the user leaves ({@code ~.}), piped input ends, the link is lost, or {@code stop}
     * says so (the overall --timeout, an interrupt).
     */
    public static Outcome run(ConsoleLink link, String name, BooleanSupplier stop) {
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        if (!LocalTerminal.stdinIsTerminal()) return bridge(link, System.in, out, err, name, stop, false);
        LocalTerminal local;
        try {
            local = LocalTerminal.open();
        } catch (IOException e) {
            return bridge(link, System.in, out, err, name, stop, false);
        }
        try (local) {
            local.enterRaw();
            // a link on a pseudo terminal (a hypervisor's console over SSH) gets this window's size, and each change
            resize(link, local.size().getColumns(), local.size().getRows());
            local.onResize((columns, rows) -> resize(link, columns, rows));
            return bridge(link, local.terminal().input(), out, err, name, stop, true);
        }
    }

    private static void resize(ConsoleLink link, int columns, int rows) {
        if (columns <= 0 || rows <= 0) return;
        try {
            link.resize(columns, rows);
        } catch (IOException e) {
            // a link that is gone says so at its next read
        }
    }

    static Outcome bridge(ConsoleLink link, InputStream in, OutputStream out, PrintStream err, String name,
                          BooleanSupplier stop, boolean terminal) {
        err.print("[ctys: attached to the console of " + org.ctys.spi.ControlChars.escape(name) + "; ~. leaves, ~? helps]\r\n");
        AtomicReference<Outcome> ended = new AtomicReference<>();
        long[] inputEndedAt = {0};
        Thread typing = new Thread(() -> type(link, in, err, terminal, ended, inputEndedAt), "ctys-console-input");
        typing.setDaemon(true);
        typing.start();
        long lastAsked = System.currentTimeMillis();
        try {
            while (ended.get() == null || ended.get().end() == End.INPUT_ENDED) {
                if (stop.getAsBoolean()) {
                    ended.set(new Outcome(End.STOPPED, "stopped"));
                    break;
                }
                byte[] data = link.read();
                long now = System.currentTimeMillis();
                if (data.length > 0) {
                    out.write(data);
                    out.flush();
                }
                // asked whatever flows: a BMC may count only its own requests as a session's life
                if (now - lastAsked >= ALIVE_EVERY_MILLIS) {
                    link.checkAlive();
                    lastAsked = System.currentTimeMillis();
                }
                Outcome o = ended.get();
                if (o != null && o.end() == End.INPUT_ENDED && now - inputEndedAt[0] >= DRAIN_MILLIS) break;
                if (data.length == 0) Thread.sleep(POLL_MILLIS);
            }
        } catch (IOException e) {
            ended.compareAndSet(null, new Outcome(End.LOST, e.getMessage()));
            if (ended.get().end() == End.INPUT_ENDED) ended.set(new Outcome(End.LOST, e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended.compareAndSet(null, new Outcome(End.STOPPED, "interrupted"));
        }
        Outcome o = ended.get();
        err.print("\r\n[ctys: left the console of " + org.ctys.spi.ControlChars.escape(name)
                + (o.end() == End.LOST ? ": " + org.ctys.spi.ControlChars.escape(o.message()) : "") + "]\r\n");
        return o;
    }

    private static void type(ConsoleLink link, InputStream in, PrintStream err, boolean terminal,
                             AtomicReference<Outcome> ended, long[] inputEndedAt) {
        EscapeFilter escapes = new EscapeFilter();
        byte[] buf = new byte[256];
        try {
            while (ended.get() == null) {
                int n = TypedInput.read(in, buf, terminal);
                if (n < 0) break;
                if (n == TypedInput.NOTHING_YET) continue;
                EscapeFilter.Result r = escapes.filter(buf, n);
                if (r.send().length > 0) link.write(r.send(), r.send().length);
                if (r.command() == EscapeFilter.Command.HELP) err.print("\r\n" + EscapeFilter.HELP);
                if (r.command() == EscapeFilter.Command.LEAVE) {
                    ended.compareAndSet(null, new Outcome(End.LEFT, "left with ~."));
                    return;
                }
            }
            inputEndedAt[0] = System.currentTimeMillis();
            ended.compareAndSet(null, new Outcome(End.INPUT_ENDED, "input ended"));
        } catch (IOException e) {
            ended.compareAndSet(null, new Outcome(End.LOST, e.getMessage()));
        }
    }
}
