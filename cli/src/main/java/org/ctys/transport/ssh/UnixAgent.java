package org.ctys.transport.ssh;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * A connection to a running ssh-agent over its Unix socket ({@code SSH_AUTH_SOCK}). MINA's proxy
 * base class encodes the agent protocol (identities, sign requests with the rsa-sha2 flags); this
 * class only carries its messages, each exchange bounded so an agent that stops answering fails
 * the login instead of holding it. MINA's own Unix agent needs the native APR library; the JDK has
 * spoken Unix sockets since 16.
 */
final class UnixAgent extends AbstractAgentProxy {

    /** OpenSSH's agent refuses messages above 256 KiB; anything larger is not an agent talking. */
    private static final int MAX_MESSAGE = 256 * 1024;

    private final Path socket;
    private final Duration timeout;
    private final SocketChannel channel;
    private final Selector selector;

    private UnixAgent(Path socket, Duration timeout, SocketChannel channel, Selector selector) {
        super(null);
        this.socket = socket;
        this.timeout = timeout;
        this.channel = channel;
        this.selector = selector;
    }

    static UnixAgent connect(Path socket, Duration timeout) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = null;
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            selector = Selector.open();
            return new UnixAgent(socket, timeout, channel, selector);
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    @Override
    protected synchronized Buffer request(Buffer buffer) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer out = ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available());
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                await(SelectionKey.OP_WRITE, deadline);
            }
        }
        ByteBuffer length = ByteBuffer.allocate(4);
        fill(length, deadline);
        int size = length.flip().getInt();
        if (size <= 0 || size > MAX_MESSAGE) {
            throw new SshException("ssh-agent at " + socket + " sent a message of " + Integer.toUnsignedString(size) + " bytes");
        }
        ByteBuffer in = ByteBuffer.allocate(size);
        fill(in, deadline);
        return new ByteArrayBuffer(in.array());
    }

    private void fill(ByteBuffer in, long deadline) throws IOException {
        while (in.hasRemaining()) {
            int n = channel.read(in);
            if (n < 0) {
                throw new SshException("ssh-agent at " + socket + " closed the connection");
            }
            if (n == 0) {
                await(SelectionKey.OP_READ, deadline);
            }
        }
    }

    private void await(int op, long deadline) throws IOException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw new SshException("ssh-agent at " + socket + " did not answer within " + Durations.text(timeout));
        }
        SelectionKey key = channel.register(selector, op);
        try {
            selector.select(left);
        } finally {
            key.interestOps(0);
            selector.selectedKeys().clear();
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            try {
                channel.close();
            } finally {
                selector.close();
            }
        }
    }

    @Override
    public String toString() {
        return "ssh-agent at " + socket;
    }
}
