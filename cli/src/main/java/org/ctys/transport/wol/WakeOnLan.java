package org.ctys.transport.wol;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends Wake-on-LAN magic packets over UDP: 6×0xFF, the MAC 16 times, then an optional SecureOn
 * password (4 or 6 bytes). One channel per source address is kept open for the whole batch, so
 * thousands of packets cost thousands of sendto calls and nothing more.
 */
public final class WakeOnLan implements AutoCloseable {
    /** Beyond this many destinations, packets share one unconnected channel per source. */
    private static final int MAX_CONNECTED = 64;
    private final Map<List<Object>, DatagramChannel> connected = new HashMap<>();
    private final Map<InetAddress, DatagramChannel> unconnected = new HashMap<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(6 + 16 * 6 + 6);

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
        // A batch goes to few broadcast addresses: a connected channel per destination spares the
        // kernel and the JDK the per-packet address handling of sendto.
        List<Object> key = Arrays.asList(source, destination, port);
        DatagramChannel ch = connected.get(key);
        if (ch == null && connected.size() < MAX_CONNECTED) {
            ch = open(source);
            try {
                ch.connect(new InetSocketAddress(destination, port));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            connected.put(key, ch);
        }
        int sent;
        if (ch != null) {
            try {
                sent = ch.write(buffer);
            } catch (PortUnreachableException e) {
                // an ICMP answer to an earlier packet (nothing listens on a unicast discard port);
                // it is reported on the connected channel's next write, which is this one: send again
                sent = ch.write(buffer);
            }
        } else {
            DatagramChannel shared = unconnected.get(source);
            if (shared == null) {
                shared = open(source);
                unconnected.put(source, shared);
            }
            sent = shared.send(buffer, new InetSocketAddress(destination, port));
        }
        if (sent != buffer.limit()) throw new IOException("only " + sent + " of " + buffer.limit() + " bytes were sent");
    }

    private static DatagramChannel open(InetAddress source) throws IOException {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            if (source instanceof Inet4Address) ch.bind(new InetSocketAddress(source, 0));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return ch;
    }

    @Override
    public void close() {
        List<DatagramChannel> all = new ArrayList<>(connected.values());
        all.addAll(unconnected.values());
        for (DatagramChannel ch : all) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a datagram channel cannot lose data; nothing to report
            }
        }
        connected.clear();
        unconnected.clear();
    }
}
