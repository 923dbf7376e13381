package org.ctys.transport.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.PtyMode;

/**
 * A login shell on a target, as {@code ssh -t host} starts one: with a pseudo terminal of the
 * caller's type, size and modes, or without one for input that is not a terminal. What the shell
 * prints goes to the streams given when it was opened; what it reads is written to {@link #stdin()}.
 */
public final class ShellChannel implements AutoCloseable {

    /** OpenSSH's exit status when the remote shell ended by a signal or the connection broke. */
    public static final int SIGNALLED = 255;

    /**
     * The pseudo terminal asked for.
     *
     * @param term    terminal type (TERM), e.g. xterm-256color
     * @param columns width in characters
     * @param rows    height in lines
     * @param modes   terminal modes by their RFC 4254 names (VINTR, ECHO, ICRNL, ...); unknown names are left out
     */
    public record Pty(String term, int columns, int rows, Map<String, Integer> modes) {
        public Pty { modes = Map.copyOf(modes); }
    }

    private final ChannelShell channel;
    private final String where;

    private ShellChannel(ChannelShell channel, String where) {
        this.channel = channel;
        this.where = where;
    }

    /** Opens the shell on an authenticated connection; {@code pty} null: no pseudo terminal. */
    static ShellChannel open(Connection connection, Pty pty, OutputStream out, OutputStream err, Duration timeout,
                             String where) throws SshFailure {
        ClientSession session = connection.session();
        ChannelShell channel = null;
        try {
            channel = session.createShellChannel();
            channel.setUsePty(pty != null);
            if (pty != null) {
                channel.setPtyType(pty.term());
                channel.setPtyColumns(pty.columns());
                channel.setPtyLines(pty.rows());
                channel.setPtyModes(modes(pty.modes()));
            }
            channel.setOut(out);
            channel.setErr(err);
            OpenFuture opened = channel.open();
            if (!opened.await(timeout.toMillis())) {
                throw new SshFailure(SshFailure.Kind.TIMEOUT, where + ": no shell within " + Durations.text(timeout));
            }
            if (!opened.isOpened()) {
                throw new SshFailure(SshFailure.Kind.CONNECT, where + " refused to start a shell: "
                        + Durations.reason(opened.getException()), opened.getException());
            }
            ShellChannel shell = new ShellChannel(channel, where);
            channel = null;
            return shell;
        } catch (IOException e) {
            throw new SshFailure(SshFailure.Kind.DISCONNECTED, where + ": " + Durations.reason(e), e);
        } finally {
            if (channel != null) channel.close(true);
        }
    }

    /** Maps RFC 4254 mode names to MINA's; names MINA does not know (IUTF8 in older versions) are dropped. */
    static Map<PtyMode, Integer> modes(Map<String, Integer> named) {
        Map<PtyMode, Integer> modes = new EnumMap<>(PtyMode.class);
        named.forEach((name, value) -> {
            for (PtyMode m : PtyMode.values()) {
                if (m.name().equals(name)) modes.put(m, value);
            }
        });
        return modes;
    }

    /** Where to write what the shell reads; closing it sends end of input. */
    public OutputStream stdin() { return channel.getInvertedIn(); }

    /** Tells the remote pseudo terminal its new size; ignored when the shell has ended. */
    public void resize(int columns, int rows) {
        if (!channel.isOpen() || channel.isClosing() || !channel.isUsePty()) return;
        try {
            channel.sendWindowChange(columns, rows);
        } catch (IOException | RuntimeException e) {
            // the shell is ending; its exit is what counts
        }
    }

    /**
     * Waits until the shell has ended and returns its exit status; a shell killed by a signal
     * gives {@link #SIGNALLED}, as ssh does. A connection that broke first is a failure.
     */
    public int waitFor() throws SshFailure {
        Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), 0L);
        if (!events.contains(ClientChannelEvent.CLOSED)) {
            throw new SshFailure(SshFailure.Kind.DISCONNECTED, where + ": interrupted waiting for the shell");
        }
        Integer status = channel.getExitStatus();
        if (status != null) return status & 0xff;
        if (channel.getExitSignal() != null) return SIGNALLED;
        throw new SshFailure(SshFailure.Kind.DISCONNECTED, where + ": connection lost before the shell ended");
    }

    /** Whether the shell has ended (or its connection is gone): {@link #waitFor()} then returns at once. */
    public boolean isClosed() { return channel.isClosed(); }

    /** Whether a pseudo terminal was asked for. */
    public boolean hasPty() { return channel.isUsePty(); }

    /** Waits at most {@code timeout} for the shell to end; true when it has. */
    public boolean awaitClosed(Duration timeout) {
        return channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout.toMillis()).contains(ClientChannelEvent.CLOSED);
    }

    @Override
    public void close() { channel.close(true); }
}
