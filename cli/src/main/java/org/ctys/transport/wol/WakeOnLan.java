package org.ctys.transport.wol;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.Map;

/**
 * Sends Wake-on-LAN magic packets over UDP: 6×0xFF, the MAC 16 times, then an optional SecureOn
 * password (4 or 6 bytes). One channel per source address is kept open for the whole batch, so
 * thousands of packets cost thousands of sendto calls and nothing more.
 */
public final class WakeOnLan implements AutoCloseable {
    private final Map<InetAddress, DatagramChannel> channels = new HashMap<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(6 + 16 * 6 + 6);
    private InetSocketAddress lastTarget;

    /** The payload of a magic packet; {@code secureOn} may be null. */
    public static byte[] payload(byte[] mac, byte[] secureOn) {
        ByteBuffer b = ByteBuffer.allocate(102 + (secureOn == null ? 0 : secureOn.length));
        fill(b, mac, secureOn);
        return b.array();
    }

    private static void fill(ByteBuffer b, byte[] mac, byte[] secureOn) {
        if (mac.length != 6) throw new IllegalArgumentException("a MAC has 6 bytes, not " + mac.length);
        if (secureOn != null && secureOn.length != 4 && secureOn.length != 6) {
            throw new IllegalArgumentException("a SecureOn password has 4 or 6 bytes, not " + secureOn.length);
        }
        for (int i = 0; i < 6; i++) b.put((byte) 0xFF);
        for (int i = 0; i < 16; i++) b.put(mac);
        if (secureOn != null) b.put(secureOn);
    }

    /**
     * Sends one packet. {@code source} is the local address to send from (its interface is the
     * one the packet leaves by), or null to let the routing table choose.
     */
    public void send(byte[] mac, byte[] secureOn, InetAddress destination, int port, InetAddress source)
            throws IOException {
        buffer.clear();
        fill(buffer, mac, secureOn);
        buffer.flip();
        // most batches go to one broadcast address: reuse its socket address
        if (lastTarget == null || lastTarget.getPort() != port || !lastTarget.getAddress().equals(destination)) {
            lastTarget = new InetSocketAddress(destination, port);
        }
        int sent = channel(source).send(buffer, lastTarget);
        if (sent != buffer.limit()) throw new IOException("only " + sent + " of " + buffer.limit() + " bytes were sent");
    }

    private DatagramChannel channel(InetAddress source) throws IOException {
        InetAddress key = source == null ? InetAddress.getByAddress(new byte[4]) : source;
        DatagramChannel ch = channels.get(key);
        if (ch == null) {
            ch = DatagramChannel.open(StandardProtocolFamily.INET);
            ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            if (source instanceof Inet4Address) ch.bind(new InetSocketAddress(source, 0));
            channels.put(key, ch);
        }
        return ch;
    }

    @Override
    public void close() {
        for (DatagramChannel ch : channels.values()) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a datagram channel cannot lose data; nothing to report
            }
        }
        channels.clear();
    }
}
