package org.ctys.transport.ssh.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.sshd.common.channel.ChannelOutputStream;

/**
 * A session's stdout or stderr. MINA's channel stream blocks a write while the client's window is
 * full, that is while the client does not read, for at most its wait-for-space timeout (which the
 * front door sets to the stall limit), then throws {@link SocketTimeoutException} and leaves the
 * session open. Here that ends the session: a client that read nothing for the stall limit is
 * dropped, and every later write fails at once instead of blocking again.
 *
 * <p>Each write is sent at once (MINA's "no delay"): a console's bytes must reach the user without
 * waiting for a flush the handler may never call.
 */
final class StallGuard extends OutputStream {
    private final OutputStream channel;
    private final Duration limit;
    private final Consumer<Duration> drop;

    StallGuard(OutputStream channel, Duration limit, Consumer<Duration> drop) {
        this.channel = channel;
        this.limit = limit;
        this.drop = drop;
        if (channel instanceof ChannelOutputStream c) c.setNoDelay(true);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            channel.write(b, off, len);
        } catch (SocketTimeoutException e) {
            throw stalled(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            channel.flush();
        } catch (SocketTimeoutException e) {
            throw stalled(e);
        }
    }

    /**
     * Sends what is buffered and ends nothing: the front door closes the channel's streams when the
     * handler returns. A session the client already left has nothing to send: no error then.
     */
    @Override
    public void close() {
        try {
            flush();
        } catch (IOException e) {
            // the session has ended; the handler learns that from in() and its writes
        }
    }

    private IOException stalled(SocketTimeoutException e) {
        drop.accept(limit);
        return new IOException("the client read nothing for " + limit.toSeconds() + " s; its session was dropped", e);
    }
}
