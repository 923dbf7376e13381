package org.ctys.transport.ssh.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tests' session handler (the daemon's is another part's): it says what it saw and acts on the
 * command.
 * <ul>
 * <li>a shell (command "") or {@code echo}: the report line, then every byte typed upper-cased,
 *     "resized WxH" at each window change; {@code q} ends it with status 3, end of input with 0
 * <li>{@code exit N}: status N, nothing printed
 * <li>{@code streams}: "to-out" on stdout, "to-err" on stderr
 * <li>{@code err-bulk}: {@link #BULK} bytes of 'e' on stderr, then status 0
 * <li>{@code flood}: writes until a write fails, then returns; {@link #flood} says how it ended
 * <li>{@code close}: prints "closing", closes the session itself, and notes what in() says then
 * <li>anything else: the report line, status 0
 * </ul>
 * The report line: {@code user=alice cmd=[the command] pty=true size=100x30}.
 */
final class Probe implements SessionHandler {
    /** What {@code err-bulk} writes: more than OpenSSH's first window (2 MiB), so the write waits for it to open. */
    static final int BULK = 4 << 20;

    /** What the handler was given, one per session. */
    record Seen(String user, String command, boolean terminal, int columns, int rows) {}

    final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    /** Bytes the flood has written so far and when it last wrote some (System.nanoTime). */
    final AtomicLong flooded = new AtomicLong();
    final AtomicLong floodProgress = new AtomicLong();
    /** How the flood ended: the exception its write got. */
    final CompletableFuture<IOException> flood = new CompletableFuture<>();
    /** What in() returned after the handler closed its own session. */
    final CompletableFuture<Integer> readAfterClose = new CompletableFuture<>();
    /** Sizes the resize listener was called with, "WxH". */
    final List<String> resizes = new CopyOnWriteArrayList<>();

    @Override
    public int serve(FrontDoorSession s) throws IOException {
        seen.add(new Seen(s.user(), s.command(), s.terminal(), s.columns(), s.rows()));
        String c = s.command();
        if (c.isEmpty() || c.equals("echo")) return echo(s);
        if (c.startsWith("exit ")) return Integer.parseInt(c.substring(5).strip());
        switch (c) {
            case "streams" -> {
                write(s.out(), "to-out\n");
                write(s.err(), "to-err\n");
                return 0;
            }
            case "flood" -> {
                return flood(s);
            }
            case "err-bulk" -> {
                byte[] chunk = new byte[8192];
                java.util.Arrays.fill(chunk, (byte) 'e');
                for (int i = 0; i < BULK / chunk.length; i++) s.err().write(chunk);
                s.err().flush();
                return 0;
            }
            case "close" -> {
                write(s.out(), "closing\n");
                s.close();
                readAfterClose.complete(s.in().read());
                return 0;
            }
            default -> {
                write(s.out(), report(s) + (s.terminal() ? "\r\n" : "\n"));
                return 0;
            }
        }
    }

    private int echo(FrontDoorSession s) throws IOException {
        OutputStream out = s.out();
        s.onResize((w, h) -> {
            resizes.add(w + "x" + h);
            try {
                synchronized (s) {
                    write(out, "\r\nresized " + w + "x" + h + " (" + s.columns() + "x" + s.rows() + ")\r\n");
                }
            } catch (IOException e) {
                // the session has ended
            }
        });
        synchronized (s) {
            write(out, report(s) + "\r\n");
        }
        InputStream in = s.in();
        byte[] b = new byte[256];
        for (int n = in.read(b); n >= 0; n = in.read(b)) {
            String typed = new String(b, 0, n, StandardCharsets.ISO_8859_1);
            synchronized (s) {
                write(out, typed.toUpperCase(Locale.ROOT));
                if (typed.contains("q")) {
                    write(out, "\r\nbye\r\n");
                    return 3;
                }
            }
        }
        return 0;
    }

    private int flood(FrontDoorSession s) {
        byte[] chunk = new byte[8192];
        java.util.Arrays.fill(chunk, (byte) 'x');
        try {
            while (true) {
                s.out().write(chunk);
                flooded.addAndGet(chunk.length);
                floodProgress.set(System.nanoTime());
            }
        } catch (IOException e) {
            flood.complete(e);
            return 0;
        }
    }

    static String report(FrontDoorSession s) {
        return "user=" + s.user() + " cmd=[" + s.command() + "] pty=" + s.terminal() + " size=" + s.columns() + "x" + s.rows();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
