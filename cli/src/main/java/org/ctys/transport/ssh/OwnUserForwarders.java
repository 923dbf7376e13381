package org.ctys.transport.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalInt;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.forward.DefaultForwarder;
import org.apache.sshd.common.forward.DefaultForwarderFactory;
import org.apache.sshd.common.forward.Forwarder;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.util.Readable;
import org.ctys.os.UnixFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local port forwards that serve only this process's user. ctys listens on 127.0.0.1 for each hop
 * of a jump chain after the first (MINA reaches the next hop through a local forward) and for a
 * VNC viewer (the port is in the viewer's argv, so ps shows it): left as MINA makes them, any
 * local user could connect there and be carried through the SSH connection, onto a guest's
 * console without a password or to whatever the jump host reaches. Here a connection is served
 * only when the socket it comes from belongs to the same user (its line in /proc/net/tcp, which
 * shows sockets of this network namespace with their owner); any other is closed at once, before
 * a channel is opened. OpenSSH's {@code -J} has no listening socket at all (it uses stdio), and
 * its {@code -L} serves every local user.
 */
final class OwnUserForwarders extends DefaultForwarderFactory {
    private static final Logger LOG = LoggerFactory.getLogger(OwnUserForwarders.class);
    private static final AttributeRepository.AttributeKey<Boolean> REFUSED = new AttributeRepository.AttributeKey<>();

    @Override
    public Forwarder create(ConnectionService service) {
        Forwarder forwarder = new DefaultForwarder(service) {
            @Override
            protected IoAcceptor createIoAcceptor(org.apache.sshd.common.Factory<? extends IoHandler> handlerFactory) {
                return super.createIoAcceptor(() -> new Gate(handlerFactory.create()));
            }
        };
        forwarder.addPortForwardingEventListenerManager(this);
        return forwarder;
    }

    /** Lets through the connections of this user's sockets only. */
    private static final class Gate implements IoHandler {
        private final IoHandler inner;

        Gate(IoHandler inner) { this.inner = inner; }

        @Override
        public void sessionCreated(IoSession session) throws Exception {
            if (session.getRemoteAddress() instanceof InetSocketAddress peer && session.getLocalAddress() instanceof InetSocketAddress local) {
                OptionalInt uid = owner(peer, local);
                if (uid.isPresent() && uid.getAsInt() == UnixFiles.currentUid()) {
                    inner.sessionCreated(session);
                    return;
                }
                LOG.debug("forward on {}: connection from {} refused (its socket belongs to uid {})", local, peer,
                        uid.isPresent() ? String.valueOf(uid.getAsInt()) : "unknown");
            }
            session.setAttribute(REFUSED, Boolean.TRUE);
            session.close(true);
        }

        @Override
        public void sessionClosed(IoSession session) throws Exception {
            if (session.getAttribute(REFUSED) == null) inner.sessionClosed(session);
        }

        @Override
        public void exceptionCaught(IoSession session, Throwable cause) throws Exception {
            if (session.getAttribute(REFUSED) == null) inner.exceptionCaught(session, cause);
        }

        @Override
        public void messageReceived(IoSession session, Readable message) throws Exception {
            if (session.getAttribute(REFUSED) == null) inner.messageReceived(session, message);
        }
    }

    /** Whether the socket at {@code peer}, connected to {@code local}, belongs to the user running ctys. */
    static boolean fromThisUser(InetSocketAddress peer, InetSocketAddress local) throws IOException {
        OptionalInt uid = owner(peer, local);
        return uid.isPresent() && uid.getAsInt() == UnixFiles.currentUid();
    }

    /**
     * The owner of the socket at {@code peer} that is connected to {@code local} on this machine,
     * from /proc/net/tcp (IPv4) or tcp6; empty when no such socket is listed (another network
     * namespace, or it closed in between).
     */
    static OptionalInt owner(InetSocketAddress peer, InetSocketAddress local) throws IOException {
        OptionalInt v4 = peer.getAddress() instanceof java.net.Inet4Address ? find("/proc/net/tcp", hex(peer), hex(local))
                : OptionalInt.empty();
        // Java's sockets are IPv6 sockets where it can: an IPv4 peer is then listed as ::ffff:a.b.c.d in tcp6
        return v4.isPresent() ? v4 : find("/proc/net/tcp6", hex6(peer), hex6(local));
    }

    private static OptionalInt find(String file, String from, String to) throws IOException {
        for (String line : Files.readAllLines(Path.of(file), StandardCharsets.US_ASCII)) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 7 && f[1].equals(from) && f[2].equals(to)) {
                try {
                    return OptionalInt.of(Integer.parseInt(f[7]));
                } catch (NumberFormatException e) {
                    return OptionalInt.empty();
                }
            }
        }
        return OptionalInt.empty();
    }

    /** As {@link #hex}, an IPv4 address written as IPv6 (::ffff:a.b.c.d) as tcp6 lists it. */
    static String hex6(InetSocketAddress a) {
        if (!(a.getAddress() instanceof java.net.Inet4Address)) return hex(a);
        return "0000000000000000FFFF0000" + hex(a);
    }

    /** An address as /proc/net/tcp writes it: each 32-bit word of the address in the host's byte order, ":" and the port. */
    static String hex(InetSocketAddress a) {
        byte[] b = a.getAddress().getAddress();
        boolean little = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
        StringBuilder s = new StringBuilder();
        for (int w = 0; w < b.length; w += 4) {
            for (int i = 0; i < 4; i++) s.append(String.format(Locale.ROOT, "%02X", b[w + (little ? 3 - i : i)] & 0xFF));
        }
        return s.append(':').append(String.format(Locale.ROOT, "%04X", a.getPort())).toString();
    }

    private OwnUserForwarders() {}

    static final OwnUserForwarders INSTANCE = new OwnUserForwarders();
}
