package org.ctys.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import org.ctys.console.ConsoleLink;
import org.ctys.transport.ssh.ShellChannel;
import org.ctys.transport.ssh.SshFailure;

/**
 * An SSH shell as a console's far end: what the shell prints is kept until the session reads it,
 * what is typed goes to its standard input, a window change to its pseudo terminal, and its end is
 * its exit status ({@link ConsoleLink.Ended}); a connection that broke first is a lost link.
 */
final class ShellLink implements ConsoleLink {
    /** How long a write that failed waits for the shell's end, to tell an exit from a broken connection. */
    private static final Duration CLOSING = Duration.ofSeconds(2);

    private final Printed printed;
    private ShellChannel shell;

    private ShellLink(Printed printed) { this.printed = printed; }

    /** The stream the channel writes the shell's output to; the link reads it. */
    static ShellLink collecting() { return new ShellLink(new Printed()); }

    OutputStream output() { return printed; }

    ShellLink on(ShellChannel opened) {
        this.shell = opened;
        return this;
    }

    @Override
    public byte[] read() throws IOException {
        boolean closed = shell.isClosed(); // asked first: all it printed was written before it closed
        byte[] data = printed.take();
        if (data.length > 0 || !closed) return data;
        throw ended();
    }

    private IOException ended() {
        try {
            return new Ended(shell.waitFor());
        } catch (SshFailure f) {
            return new IOException(f.getMessage(), f);
        }
    }

    @Override
    public void write(byte[] data, int length) throws IOException {
        try {
            shell.stdin().write(data, 0, length);
            shell.stdin().flush();
        } catch (IOException e) {
            if (shell.awaitClosed(CLOSING)) throw ended();
            throw e;
        }
    }

    @Override
    public void resize(int columns, int rows) { shell.resize(columns, rows); }

    @Override
    public void await(long millis) throws InterruptedException { printed.await(millis); }

    /** The remote shell gets end of input and ends by itself, as with {@code ssh host < script}. */
    @Override
    public boolean endInput() throws IOException {
        shell.stdin().close();
        return true;
    }

    /**
     * The shell's output as the channel writes it, taken by the session; a reader waiting is woken.
     * At most {@link #HELD} bytes wait to be shown: beyond that the channel's writer waits, as it
     * did when it wrote to the terminal itself, so a fast shell cannot fill the memory; but not for
     * a session that has taken nothing for {@link #GONE_MILLIS} (it polls every few milliseconds
     * while it lasts): that one has ended, and the writer must not hang.
     */
    private static final class Printed extends OutputStream {
        private static final int HELD = 1 << 20;
        private static final long WAIT_MILLIS = 100;
        private static final long GONE_MILLIS = 10_000;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long lastTaken = System.nanoTime();

        @Override
        public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            try {
                while (kept.size() >= HELD && System.nanoTime() - lastTaken < GONE_MILLIS * 1_000_000) wait(WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("the session stopped showing the shell's output");
            }
            kept.write(b, off, len);
            notifyAll();
        }

        synchronized byte[] take() {
            byte[] data = kept.toByteArray();
            kept.reset();
            lastTaken = System.nanoTime();
            notifyAll();
            return data;
        }

        synchronized void await(long millis) throws InterruptedException {
            if (kept.size() == 0) wait(millis);
        }
    }
}
