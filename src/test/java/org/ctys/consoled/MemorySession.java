package org.ctys.consoled;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.ctys.testkit.Proc;
import org.ctys.transport.ssh.server.FrontDoorSession;
import org.ctys.transport.ssh.server.OutputQueue;

/**
 * A front-door session in memory: the test types into it and reads what the daemon wrote. A
 * stalled session's screen takes nothing until {@link #unstall()}, as a client that stopped
 * reading once its SSH window is full: what is written waits in the session's queue.
 */
final class MemorySession implements FrontDoorSession {
    private final String user;
    private final String command;
    private final Typed in = new Typed();
    private final Screen screen = new Screen();
    private final OutputQueue queue;
    private final OutputStream out;
    private final CountDownLatch stall;
    private volatile boolean closed;
    CompletableFuture<Integer> exit;

    MemorySession(String user, String command, boolean stalled) {
        this.user = user;
        this.command = command;
        this.stall = new CountDownLatch(stalled ? 1 : 0);
        this.queue = new OutputQueue(new StreamSink(screen, user), Duration.ofMinutes(1), failure -> close(), limit -> close());
        this.out = queue.blocking();
    }

    /** Runs {@code handler} for this session in a thread of its own, as the front door does. */
    MemorySession serve(Commands handler) {
        exit = CompletableFuture.supplyAsync(() -> {
            try {
                return handler.serve(this);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, r -> {
            Thread t = new Thread(r, "session-" + user);
            t.setDaemon(true);
            t.start();
        });
        return this;
    }

    void type(String text) { in.add(text.getBytes(StandardCharsets.ISO_8859_1)); }

    /** The client closes its side (end of input). */
    void endInput() { in.end(); }

    void unstall() { stall.countDown(); }

    String screen() { return screen.text(); }

    /** Waits until the screen shows {@code text}; fails showing the screen. */
    String await(String text) { return await(s -> s.contains(text), "'" + text + "'"); }

    String await(Predicate<String> done, String what) {
        if (!Proc.await(() -> done.test(screen.text()), Duration.ofSeconds(10))) {
            String t = screen.text();
            throw new AssertionError(user + "'s screen never showed " + what + "; it shows (the end of " + t.length()
                    + " bytes):\n" + t.substring(Math.max(0, t.length() - 2000)));
        }
        return screen.text();
    }

    int exitStatus() {
        try {
            return exit.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            String t = screen.text();
            throw new AssertionError(user + "'s session did not end: " + e + "; screen (the end):\n"
                    + t.substring(Math.max(0, t.length() - 2000)), e);
        }
    }

    boolean closed() { return closed; }

    @Override public String user() { return user; }

    @Override public String command() { return command; }

    @Override public boolean terminal() { return true; }

    @Override public int columns() { return 80; }

    @Override public int rows() { return 24; }

    @Override public InputStream in() { return in; }

    @Override public OutputStream out() { return out; }

    @Override public OutputStream err() { return out; }

    @Override public OutputQueue queue() { return queue; }

    @Override public void onResize(BiConsumer<Integer, Integer> listener) { }

    @Override
    public void close() {
        closed = true;
        in.end();
    }

    private final class Screen extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                stall.await();
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            synchronized (bytes) {
                bytes.write(b, off, len);
            }
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** What the user types, handed out in the pieces typed; blocks until there is some or input ended. */
    private static final class Typed extends InputStream {
        private final java.util.ArrayDeque<byte[]> pieces = new java.util.ArrayDeque<>();
        private boolean ended;

        synchronized void add(byte[] b) {
            pieces.add(b);
            notifyAll();
        }

        synchronized void end() {
            ended = true;
            notifyAll();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            while (pieces.isEmpty() && !ended) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
            }
            if (pieces.isEmpty()) return -1;
            byte[] p = pieces.poll();
            int n = Math.min(len, p.length);
            System.arraycopy(p, 0, b, off, n);
            if (n < p.length) pieces.addFirst(java.util.Arrays.copyOfRange(p, n, p.length));
            return n;
        }
    }
}
