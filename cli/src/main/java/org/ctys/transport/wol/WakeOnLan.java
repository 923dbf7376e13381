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
    // direct, so a write does not copy the packet into a temporary direct buffer first
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(6 + 16 * 6 + 6);
    private final byte[] payload = new byte[6 + 16 * 6 + 6];
    private List<Object> lastKey;
    private DatagramChannel lastChannel;

    /** The payload of a magic packet; {@code secureOn} may be null. */
    public static byte[] payload(byte[] mac, byte[] secureOn) {
        byte[] p = new byte[102 + (secureOn == null ? 0 : secureOn.length)];
        fill(p, mac, secureOn);
        return p;
    }

    /** Writes the packet into {@code p} and returns its length. */
    private static int fill(byte[] p, byte[] mac, byte[] secureOn) {
        if (mac.length != 6) throw new IllegalArgumentException("a MAC has 6 bytes, not " + mac.length);
        if (secureOn != null && secureOn.length != 4 && secureOn.length != 6) {
            throw new IllegalArgumentException("a SecureOn password has 4 or 6 bytes, not " + secureOn.length);
        }
        Arrays.fill(p, 0, 6, (byte) 0xFF);
        for (int i = 0; i < 16; i++) System.arraycopy(mac, 0, p, 6 + 6 * i, 6);
        if (secureOn == null) return 102;
        System.arraycopy(secureOn, 0, p, 102, secureOn.length);
        return 102 + secureOn.length;
    }

    /**
     * Sends one packet. {@code source} is the local address to send from (its interface is the
     * one the packet leaves by), or null to let the routing table choose.
     */
    public void send(byte[] mac, byte[] secureOn, InetAddress destination, int port, InetAddress source)
            throws IOException {
        int length = fill(payload, mac, secureOn);
        buffer.clear();
        buffer.put(payload, 0, length);
        buffer.flip();
        try {
            send(destination, port, source);
        } finally {
            // the SecureOn password is not kept in the buffers between packets
            if (length > 102) {
                Arrays.fill(payload, 102, length, (byte) 0);
                for (int i = 102; i < length; i++) buffer.put(i, (byte) 0);
            }
        }
    }

    private void send(InetAddress destination, int port, InetAddress source) throws IOException {
        // A batch goes to few broadcast addresses: a connected channel per destination spares the
        // kernel and the JDK the per-packet address handling of sendto.
        DatagramChannel ch;
        if (lastKey != null && lastKey.get(1).equals(destination) && lastKey.get(2).equals(port)
                && java.util.Objects.equals(lastKey.get(0), source)) {
            ch = lastChannel;
        } else {
            lastKey = Arrays.asList(source, destination, port);
            ch = connected.get(lastKey);
            lastChannel = ch;
        }
        if (ch == null && connected.size() < MAX_CONNECTED) {
            List<Object> key = lastKey;
            ch = open(source);
            try {
                ch.connect(new InetSocketAddress(destination, port));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            connected.put(key, ch);
            lastChannel = ch;
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
