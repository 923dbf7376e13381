package org.ctys.transport.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumSet;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.OpenFuture;

/**
 * A command that runs on the target for as long as the caller listens ({@code virsh event --loop}):
 * its output goes to the streams given as it arrives, its standard input stays open, and
 * {@link #close()} ends it by closing that input, which the command takes as its cue to end. It
 * holds one of its connection's channels until it is closed.
 */
public final class WatchChannel implements AutoCloseable {
    /** How long the command has, after its input closed, to end before its channel is closed anyway. */
    static final Duration END_GRACE = Duration.ofSeconds(2);

    private final ChannelExec channel;
    private final Runnable release;

    private WatchChannel(ChannelExec channel, Runnable release) {
        this.channel = channel;
        this.release = release;
        channel.addCloseFutureListener(f -> release.run());
    }

    /**
     * Opens the channel and starts the command; {@code release} runs once when the channel has
     * closed, whoever closed it, and also when it could not be opened.
     */
    static WatchChannel open(org.apache.sshd.client.session.ClientSession session, String command, OutputStream out,
                             OutputStream err, Duration timeout, String where, Runnable release) throws SshFailure {
        ChannelExec channel = null;
        try {
            channel = session.createExecChannel(command);
            channel.setUsePty(false);
            channel.setOut(out);
            channel.setErr(err);
            OpenFuture opened = channel.open();
            if (!opened.await(timeout.toMillis())) {
                throw new SshFailure(SshFailure.Kind.TIMEOUT, where + ": the server did not answer the opening of a channel within "
                        + Durations.text(timeout));
            }
            if (!opened.isOpened()) {
                throw new SshFailure(SshFailure.Kind.CONNECT, where + " refused to run a command: "
                        + Durations.reason(opened.getException()), opened.getException());
            }
            WatchChannel w = new WatchChannel(channel, release);
            channel = null;
            return w;
        } catch (IOException e) {
            throw new SshFailure(SshFailure.Kind.DISCONNECTED, where + ": " + Durations.reason(e), e);
        } finally {
            if (channel != null) {
                channel.close(true);
                release.run();
            }
        }
    }

    /** Whether the command still runs and its channel is open. */
    public boolean isOpen() { return channel.isOpen() && !channel.isClosing(); }

    /** Runs {@code then} once the channel has closed (at once if it has). */
    public void whenClosed(Runnable then) { channel.addCloseFutureListener(f -> then.run()); }

    /**
     * Closes the command's input and gives it {@link #END_GRACE} to end; then closes the channel.
     * Blocks for that grace at most.
     */
    @Override
    public void close() {
        try {
            channel.getInvertedIn().close();
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), END_GRACE.toMillis());
        } catch (IOException | RuntimeException e) {
            // the channel or its session is already going: closing it is all that is left
        } finally {
            channel.close(true);
        }
    }
}
