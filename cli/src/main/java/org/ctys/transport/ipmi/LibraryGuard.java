package org.ctys.transport.ipmi;

import java.io.IOException;
import java.lang.reflect.Field;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.metricshub.ipmi.core.api.async.IpmiAsyncConnector;
import org.metricshub.ipmi.core.api.sync.IpmiConnector;
import org.metricshub.ipmi.core.connection.Connection;
import org.metricshub.ipmi.core.connection.ConnectionManager;
import org.metricshub.ipmi.core.transport.Messenger;
import org.metricshub.ipmi.core.transport.UdpListener;
import org.metricshub.ipmi.core.transport.UdpMessage;

/**
 * Checks what the IPMI library does not on the packets a BMC sends in a session (the library
 * carries Serial-over-LAN). Its decoder only logs a warning when a packet's integrity code is
 * wrong, and takes a packet that claims no integrity code at all: anyone who can send a datagram
 * with the BMC's address could write on a console, or flip bits of its AES-CBC text. This guard sits
 * between the library's socket and its sessions. Until a session is up the library's own checks
 * of the key exchange apply (RAKP 2 and 4); from then on a packet reaches the library only when
 * ctys's own RMCP+ codec takes it with the session's keys ({@link Rmcp#parse}: the integrity
 * trailer and code, encryption as the suite says), it carries the session's ID, and its sequence
 * number is inside the session's window (a replayed packet is dropped). Drops are counted by
 * reason and logged at debug, as ctys's own sessions do.
 *
 * <p>The library has no hook for this: the guard replaces the messenger of the connector's
 * connection manager and reads a connection's state machine, session key and session ID, all
 * private fields of the pinned library version. A library in which they are not found is refused
 * (Serial-over-LAN fails with a message) rather than used unguarded.
 */
final class LibraryGuard implements Messenger {
    private static final Field ASYNC = field(IpmiConnector.class, "asyncConnector");
    private static final Field MANAGER = field(IpmiAsyncConnector.class, "connectionManager");
    private static final Field MESSENGER = field(ConnectionManager.class, "messenger");
    private static final Field STATE_MACHINE = field(Connection.class, "stateMachine");
    private static final Field SIK = field(Connection.class, "sik");
    private static final Field SESSION_ID = field(Connection.class, "sessionId");

    private final Messenger inner;
    private final ConnectionManager manager;
    /** The library's listeners (a connection's state machine each) and what the guard registered for them. */
    private final Map<UdpListener, UdpListener> wrappers = new ConcurrentHashMap<>();
    /** The sessions ctys watches, by their state machine. */
    private final Map<Object, Watched> watched = new ConcurrentHashMap<>();
    private final AtomicInteger dropped = new AtomicInteger();

    private LibraryGuard(Messenger inner, ConnectionManager manager) {
        this.inner = inner;
        this.manager = manager;
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }

    /** Puts a guard between a new connector's socket and its sessions; call before its first connection. */
    static LibraryGuard install(IpmiConnector connector) throws BmcException {
        if (ASYNC == null || MANAGER == null || MESSENGER == null || STATE_MACHINE == null || SIK == null || SESSION_ID == null) {
            throw unguardable(null);
        }
        try {
            ConnectionManager manager = (ConnectionManager) MANAGER.get(ASYNC.get(connector));
            LibraryGuard guard = new LibraryGuard((Messenger) MESSENGER.get(manager), manager);
            MESSENGER.set(manager, guard);
            return guard;
        } catch (IllegalAccessException | RuntimeException e) {
            throw unguardable(e);
        }
    }

    private static BmcException unguardable(Exception e) {
        return new BmcException(BmcException.Kind.FAILED, "this version of the IPMI library cannot be checked by ctys"
                + " (its session packets would go unchecked); Serial-over-LAN needs the version ctys was built with"
                + (e == null ? "" : ": " + e), e);
    }

    /**
     * Watches the session of a connection the connector has just made: from the moment it is up,
     * its packets are checked with the keys of {@code suite}.
     */
    void watch(int handle, Rmcp.Suite suite, String bmc) throws BmcException {
        try {
            Connection c = manager.getConnection(handle);
            Object machine = STATE_MACHINE.get(c);
            if (machine == null) throw new IllegalStateException("connection " + handle + " has no state machine");
            watched.put(machine, new Watched(c, suite, new Drops(bmc)));
        } catch (IllegalAccessException | RuntimeException e) {
            throw unguardable(e);
        }
    }

    /** Packets dropped so far, over every session of this connector. */
    int dropped() { return dropped.get(); }

    @Override
    public void send(UdpMessage message) throws IOException { inner.send(message); }

    @Override
    public void register(UdpListener listener) {
        UdpListener w = message -> deliver(listener, message);
        if (wrappers.putIfAbsent(listener, w) == null) inner.register(w);
    }

    @Override
    public void unregister(UdpListener listener) {
        UdpListener w = wrappers.remove(listener);
        if (w != null) inner.unregister(w);
        Watched s = watched.remove(listener);
        if (s != null) s.forget();
    }

    @Override
    public void closeConnection() {
        inner.closeConnection();
        watched.values().forEach(Watched::forget);
        watched.clear();
    }

    /** On the library's receiving thread, the only one that calls it. */
    private void deliver(UdpListener listener, UdpMessage message) {
        Watched s = watched.get(listener);
        // a datagram from elsewhere is no packet of this session: the library drops it by address
        if (s != null && !s.from(message)) s = null;
        String why = s == null ? null : s.refusal(message.getMessage());
        if (why == null) {
            listener.notifyMessage(message);
        } else {
            dropped.incrementAndGet();
            s.drops.add(why);
        }
    }

    /** One session as the guard sees it; used on the library's receiving thread only. */
    private static final class Watched {
        private final Connection connection;
        private final Rmcp.Suite suite;
        final Drops drops;
        private Rmcp.Keys keys;
        private int sessionId;
        private final SequenceWindow authenticated = new SequenceWindow();
        private final SequenceWindow plain = new SequenceWindow();

        Watched(Connection connection, Rmcp.Suite suite, Drops drops) {
            this.connection = connection;
            this.suite = suite;
            this.drops = drops;
        }

        /** Whether the datagram comes from this session's BMC (address and port). */
        boolean from(UdpMessage m) {
            return m.getPort() == connection.getRemoteMachinePort() && m.getAddress() != null
                    && m.getAddress().equals(connection.getRemoteMachineAddress());
        }

        /** Why the packet must not reach the library, or null to pass it. */
        String refusal(byte[] packet) {
            if (keys == null) {
                if (!connection.isSessionValid()) return null; // the key exchange: the library checks RAKP 2 and 4
                try {
                    byte[] sik = (byte[]) SIK.get(connection);
                    if (sik == null) return "session key not yet known";
                    keys = new Rmcp.Keys(suite, sik);
                    sessionId = SESSION_ID.getInt(connection);
                } catch (IllegalAccessException | GeneralSecurityException | RuntimeException e) {
                    return "session keys: " + e.getClass().getSimpleName();
                }
            }
            Rmcp.Received r;
            try {
                r = Rmcp.parse(packet, packet.length, keys);
            } catch (BadPacket e) {
                return e.getMessage();
            }
            if (r.sessionId() != sessionId) return "another session's ID";
            if (!(r.authenticated() ? authenticated : plain).accept(r.sequence())) return "sequence number outside the window";
            return null;
        }

        void forget() {
            if (keys != null) keys.clear();
        }
    }
}
