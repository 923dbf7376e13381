package org.ctys.transport.ipmi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One UDP socket for every RMCP+ session of a command, and one thread that reads it and hands
 * each packet to the session it belongs to: by the console's session ID, which the BMC puts in the
 * header of session packets and in the payload of the session-start replies.
 *
 * <p>What a BMC (or anyone) sends cannot grow memory: a datagram over {@link Rmcp#MAX_PACKET}
 * bytes is dropped here, and each session's inbox holds at most {@link #INBOX} packets (16 KiB);
 * what arrives while it is full is dropped, as the network could have dropped it.
 */
final class RmcpSocket implements AutoCloseable {
    /**
     * Packets a session's inbox holds. A session waits for one reply at a time and takes each
     * packet as it comes; a few tries in flight and a late reply or two fit easily.
     */
    static final int INBOX = 16;

    /** A packet and where it came from. */
    record Datagram(SocketAddress from, byte[] data) {
    }

    private final DatagramChannel channel;
    private final Map<Integer, BlockingQueue<Datagram>> inboxes = new ConcurrentHashMap<>();
    private final Thread reader;
    private final LongAdder dropped = new LongAdder();
    private volatile boolean closed;

    RmcpSocket() throws IOException {
        channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(0));
        reader = new Thread(this::read, "ctys-rmcp");
        reader.setDaemon(true);
        reader.start();
    }

    /** Registers a console session ID; its packets queue up until taken, at most {@link #INBOX}. */
    BlockingQueue<Datagram> register(int consoleSessionId) {
        BlockingQueue<Datagram> q = new ArrayBlockingQueue<>(INBOX);
        if (inboxes.putIfAbsent(consoleSessionId, q) != null) return null;
        return q;
    }

    void unregister(int consoleSessionId) { inboxes.remove(consoleSessionId); }

    void send(byte[] packet, InetSocketAddress to) throws IOException {
        channel.send(ByteBuffer.wrap(packet), to);
    }

    /** The local UDP port every session sends from. */
    int port() throws IOException { return ((InetSocketAddress) channel.getLocalAddress()).getPort(); }

    /** Packets dropped here: too large, for no session, or for a full inbox. */
    long dropped() { return dropped.sum(); }

    private void read() {
        // one byte more than the largest packet taken: a datagram that fills it is too large
        ByteBuffer buf = ByteBuffer.allocate(Rmcp.MAX_PACKET + 1);
        while (!closed) {
            try {
                buf.clear();
                SocketAddress from = channel.receive(buf);
                if (from == null) continue;
                if (buf.position() > Rmcp.MAX_PACKET) {
                    dropped.increment();
                    continue;
                }
                byte[] p = Arrays.copyOf(buf.array(), buf.position());
                Integer id = consoleSessionId(p);
                BlockingQueue<Datagram> q = id == null ? null : inboxes.get(id);
                if (q == null || !q.offer(new Datagram(from, p))) dropped.increment();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // an ICMP error for one BMC ends nothing: each session waits with its own bound
            }
        }
    }

    /** The console session ID a packet is for, or null when it is not RMCP+. */
    static Integer consoleSessionId(byte[] p) {
        if (p.length < 16 || p[0] != 0x06 || p[3] != 0x07 || p[4] != 0x06) return null;
        int sessionId = Rmcp.le32(p, 6);
        if (sessionId != 0) return sessionId;
        int type = p[5] & 0x3F;
        // open session response, RAKP 2 and RAKP 4 carry it at offset 4 of their payload
        if ((type == Rmcp.OPEN_SESSION_RESPONSE || type == Rmcp.RAKP2 || type == Rmcp.RAKP4) && p.length >= 16 + 8) {
            return Rmcp.le32(p, 16 + 4);
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing a UDP socket does not fail in a way that matters here
        }
    }
}
