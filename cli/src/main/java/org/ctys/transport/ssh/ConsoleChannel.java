package org.ctys.transport.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;

/**
 * A command that is a console (a hypervisor's {@code virsh console}, {@code xl console}) run on a
 * pseudo terminal over SSH, as {@code ssh -t host COMMAND} does. Its output is collected as it
 * arrives and taken with {@link #read()}, which never blocks: the caller polls it beside the
 * local keyboard. The command's stderr shares the pseudo terminal, as on a terminal.
 */
public final class ConsoleChannel implements AutoCloseable {

    /** Thrown by {@link #read()} once the command has ended and everything it printed was read. */
    public static final class Ended extends IOException {
        private final Integer exitStatus;

        Ended(String message, Integer exitStatus) {
            super(message);
            this.exitStatus = exitStatus;
        }

        /** The command's exit status; null when the connection broke or a signal ended it. */
        public Integer exitStatus() { return exitStatus; }
    }

    private final ChannelExec channel;
    private final ByteArrayOutputStream arrived; // guarded by itself
    private final String where;

    private ConsoleChannel(ChannelExec channel, ByteArrayOutputStream arrived, String where) {
        this.channel = channel;
        this.arrived = arrived;
        this.where = where;
    }

    /** Starts {@code command} on a pseudo terminal of {@code term}, {@code columns} x {@code rows}; {@code timeout} bounds only the start. */
    static ConsoleChannel open(Connection connection, String command, String term, int columns, int rows, Duration timeout,
                               String where) throws SshFailure {
        ClientSession session = connection.session();
        ByteArrayOutputStream arrived = new ByteArrayOutputStream();
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (arrived) {
                    arrived.write(b);
                    arrived.notifyAll();
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (arrived) {
                    arrived.write(b, off, len);
                    arrived.notifyAll();
                }
            }
        };
        ChannelExec channel = null;
        try {
            channel = session.createExecChannel(command);
            channel.setUsePty(true);
            channel.setPtyType(term);
            channel.setPtyColumns(columns);
            channel.setPtyLines(rows);
            channel.setOut(sink);
            channel.setErr(sink);
            // a waiting reader (await) learns of the end at once, not at its next timeout
            channel.addCloseFutureListener(closed -> {
                synchronized (arrived) {
                    arrived.notifyAll();
                }
            });
            OpenFuture opened = channel.open();
            if (!opened.await(timeout.toMillis())) {
                throw new SshFailure(SshFailure.Kind.TIMEOUT, where + ": the console did not start within " + Durations.text(timeout));
            }
            if (!opened.isOpened()) {
                throw new SshFailure(SshFailure.Kind.CONNECT, where + " refused to start the console: "
                        + Durations.reason(opened.getException()), opened.getException());
            }
            ConsoleChannel console = new ConsoleChannel(channel, arrived, where);
            channel = null;
            return console;
        } catch (IOException e) {
            throw new SshFailure(SshFailure.Kind.DISCONNECTED, where + ": " + Durations.reason(e), e);
        } finally {
            if (channel != null) channel.close(true);
        }
    }

    /** What the console printed since the last call, or nothing; {@link Ended} once it has ended and all was read. */
    public byte[] read() throws IOException {
        // asked before the buffer is taken: what arrived before the close is still given out
        boolean closed = channel.isClosed() || channel.isClosing();
        byte[] data;
        synchronized (arrived) {
            data = arrived.toByteArray();
            arrived.reset();
        }
        if (data.length > 0 || !closed) return data;
        Integer status = channel.getExitStatus();
        if (status != null) throw new Ended("the console command ended with exit status " + status + " on " + where, status);
        if (channel.getExitSignal() != null) {
            throw new Ended("the console command was ended by SIG" + channel.getExitSignal() + " on " + where, null);
        }
        throw new Ended("the connection to " + where + " was lost", null);
    }

    /**
     * Waits at most {@code millis} until there is something to {@link #read()}: output, or the end of
     * the console. The reader sleeps on a monitor that the arriving output and the channel's close
     * wake, so a quiet console costs nothing while it waits.
     */
    public void await(long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000L;
        synchronized (arrived) {
            while (arrived.size() == 0 && !channel.isClosing() && !channel.isClosed()) {
                long left = until - System.nanoTime();
                if (left <= 0) return;
                arrived.wait(Math.max(1, left / 1_000_000L));
            }
        }
    }

    /** Sends typed bytes to the command's terminal. */
    public void write(byte[] data, int length) throws IOException {
        OutputStream in = channel.getInvertedIn();
        in.write(data, 0, length);
        in.flush();
    }

    /** Tells the pseudo terminal its new size; ignored once the console has ended. */
    public void resize(int columns, int rows) {
        if (!channel.isOpen() || channel.isClosing() || columns <= 0 || rows <= 0) return;
        try {
            channel.sendWindowChange(columns, rows);
        } catch (IOException | RuntimeException e) {
            // the console is ending; read() says how
        }
    }

    /** Closes the channel at once: the remote command loses its terminal (SIGHUP) and ends. */
    @Override
    public void close() { channel.close(true); }
}
