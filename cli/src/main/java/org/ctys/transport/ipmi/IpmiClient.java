package org.ctys.transport.ipmi;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.metricshub.ipmi.core.api.async.ConnectionHandle;
import org.metricshub.ipmi.core.api.sync.IpmiConnector;
import org.metricshub.ipmi.core.coding.commands.IpmiVersion;
import org.metricshub.ipmi.core.coding.commands.PrivilegeLevel;
import org.metricshub.ipmi.core.coding.commands.session.SetSessionPrivilegeLevel;
import org.metricshub.ipmi.core.coding.protocol.AuthenticationType;
import org.metricshub.ipmi.core.coding.payload.CompletionCode;
import org.metricshub.ipmi.core.coding.payload.lan.IPMIException;
import org.metricshub.ipmi.core.coding.security.CipherSuite;
import org.metricshub.ipmi.core.common.PropertiesManager;
import org.metricshub.ipmi.core.connection.ConnectionException;
import org.metricshub.ipmi.core.connection.Session;

/**
 * IPMI v2.0 (RMCP+) sessions with BMCs, in process. One client serves a whole command: one UDP
 * socket, any number of BMCs at once.
 *
 * <p>Chassis power and boot options go through ctys's own RMCP+ sessions ({@link RmcpSession}):
 * one socket and one reading thread for every BMC, a waiting session costs no CPU, and every wait
 * is ctys's own. Serial-over-LAN goes through the IPMI library, which carries the SOL payload.
 *
 * <p>Every call into the IPMI library (for SOL) runs on a worker thread and is waited for with this
 * client's own bound, because some of the library's waits have none of their own. The library's
 * own retries are switched off so that its first error (wrong user, wrong password) reaches us;
 * a session that cannot be opened for a transient reason (no answer, a state the library could
 * not leave) is tried again from scratch, a bounded number of times.
 */
public final class IpmiClient implements AutoCloseable {

    /** How long one request may wait for its answer, and how often a session is tried. */
    public record Timing(Duration perTry, int tries) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(2), 3);

        public Timing {
            if (perTry.toMillis() < 100 || tries < 1) throw new IllegalArgumentException("perTry >= 100 ms, tries >= 1");
        }
    }

    /** What a session may do: IPMI checks the privilege of every command. */
    public enum Privilege {
        USER(PrivilegeLevel.User, 2), OPERATOR(PrivilegeLevel.Operator, 3), ADMINISTRATOR(PrivilegeLevel.Administrator, 4);

        final PrivilegeLevel level;
        /** the privilege level's code in RMCP+ and Set Session Privilege Level */
        final int code;

        Privilege(PrivilegeLevel level, int code) {
            this.level = level;
            this.code = code;
        }
    }

    // the messages of a session start: open session, RAKP 1 and 3, and the library's slack
    private static final int OPEN_MESSAGES = 4;
    private static final String LOGGING = "org.slf4j.simpleLogger.log.org.metricshub.ipmi";

    private final Timing timing;
    private final ExecutorService calls;
    private IpmiConnector connector;
    private LibraryGuard guard;
    private RmcpSocket socket;
    private boolean closed;

    public IpmiClient() { this(Timing.DEFAULT); }

    public IpmiClient(Timing timing) {
        this.timing = timing;
        AtomicInteger n = new AtomicInteger();
        this.calls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ctys-ipmi-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    Timing timing() { return timing; }

    /**
     * Starts, on a daemon thread, what the first session would otherwise wait for: Java's crypto
     * providers and policy (about 30 ms the first time in a JVM), HMAC and AES. A command that will
     * talk to BMCs calls it as soon as it knows, so that this overlaps reading the inventory.
     */
    public static void prepare() {
        Thread t = new Thread(() -> {
            try {
                Rmcp.Keys keys = new Rmcp.Keys(new Rmcp.Suite(3, 1, 1, 1), new byte[20]);
                byte[] p = Rmcp.session(Rmcp.PAYLOAD_IPMI, 1, 1, Rmcp.request(0, 1, 1, new byte[0]), keys,
                        new java.security.SecureRandom());
                Rmcp.parse(p, p.length, keys);
                RmcpCrypto.forget();
            } catch (java.security.GeneralSecurityException | BadPacket | RuntimeException e) {
                // the session that needs them reports what is missing
            }
        }, "ctys-ipmi-prepare");
        t.setDaemon(true);
        t.start();
    }

    /** The library reads its settings when a connector is made; they are the same for every client. */
    private static synchronized void configureLibrary(Timing timing) {
        if (System.getProperty(LOGGING) == null) System.setProperty(LOGGING, "off");
        PropertiesManager p = PropertiesManager.getInstance();
        p.setProperty("retries", "0");
        p.setProperty("timeout", Long.toString(timing.perTry().toMillis()));
        p.setProperty("idleTime", Long.toString(timing.perTry().toMillis()));
        p.setProperty("pingPeriod", "0");
    }

    private synchronized IpmiConnector connector() throws BmcException {
        if (closed) throw new BmcException(BmcException.Kind.FAILED, "the IPMI client is closed");
        if (connector == null) {
            configureLibrary(timing);
            try {
                // one local UDP port, any free one, for every session of this client
                connector = new IpmiConnector(0, 0L);
            } catch (IOException e) {
                throw new BmcException(BmcException.Kind.FAILED, "cannot open a local UDP socket for IPMI: " + e.getMessage(), e);
            }
            try {
                guard = LibraryGuard.install(connector);
            } catch (BmcException e) {
                connector.tearDown();
                connector = null;
                throw e;
            }
        }
        return connector;
    }

    /** The checks on the library's session packets; made with the connector. */
    synchronized LibraryGuard guard() { return guard; }

    private synchronized RmcpSocket socket() throws BmcException {
        if (closed) throw new BmcException(BmcException.Kind.FAILED, "the IPMI client is closed");
        if (socket == null) {
            try {
                socket = new RmcpSocket();
            } catch (IOException e) {
                throw new BmcException(BmcException.Kind.FAILED, "cannot open a local UDP socket for IPMI: " + e.getMessage(), e);
            }
        }
        return socket;
    }

    /**
     * Opens a session for chassis power and boot options with the privilege a command needs. The
     * password and the BMC key are used for the session key exchange only; they are never part of a
     * message or an exception.
     *
     * @param bmcKey the BMC's key K_G ("two-key login"), or null when the BMC has none
     */
    public BmcSession open(BmcAddress bmc, byte[] password, byte[] bmcKey, Privilege privilege)
            throws BmcException, InterruptedException {
        Rmcp.Suite suite = CipherSuites.rmcp(bmc);
        InetAddress address = resolve(bmc);
        RmcpSession s = RmcpSession.open(socket(), new InetSocketAddress(address, bmc.port()), bmc, password, bmcKey,
                privilege, suite, timing);
        return new BmcSession(s, bmc);
    }

    /**
     * {@link #open}, without waiting: the future ends with the session or with the
     * {@link BmcException} that says why there is none. The session's work is done by the client's
     * one socket thread; a BMC named by an address costs no thread at all (a host name is looked up
     * on a worker, bounded). The password and key are copied before this returns.
     */
    public CompletableFuture<BmcSession> openAsync(BmcAddress bmc, byte[] password, byte[] bmcKey, Privilege privilege) {
        try {
            Rmcp.Suite suite = CipherSuites.rmcp(bmc);
            RmcpSocket socket = socket();
            byte[] pw = password == null ? null : password.clone();
            byte[] kg = bmcKey == null ? null : bmcKey.clone();
            CompletableFuture<InetAddress> address = org.ctys.grammar.Names.isIpv4(bmc.host())
                    ? CompletableFuture.completedFuture(resolve(bmc))
                    : CompletableFuture.supplyAsync(() -> {
                        try {
                            return resolve(bmc);
                        } catch (BmcException e) {
                            throw new CompletionException(e);
                        }
                    }, calls);
            return address.thenCompose(a -> RmcpSession.openAsync(socket, new InetSocketAddress(a, bmc.port()), bmc, pw, kg,
                    privilege, suite, timing)).handle((s, e) -> {
                        if (pw != null) java.util.Arrays.fill(pw, (byte) 0);
                        if (kg != null) java.util.Arrays.fill(kg, (byte) 0);
                        if (e != null) throw new CompletionException(RmcpSession.cause(e));
                        return new BmcSession(s, bmc);
                    });
        } catch (BmcException e) {
            return CompletableFuture.failedFuture(e);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new BmcException(BmcException.Kind.FAILED, "the IPMI client is closed"));
        }
    }

    /**
     * Attaches to the machine's Serial-over-LAN through a session of the IPMI library. Another
     * session's console is a {@link BmcException.Kind#BUSY} failure unless {@code force}.
     */
    public SolConsole sol(BmcAddress bmc, byte[] password, byte[] bmcKey, boolean force) throws BmcException {
        LibrarySession session = openLibrary(bmc, password, bmcKey, Privilege.USER);
        try {
            return SolConsole.open(session, force);
        } catch (BmcException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    LibrarySession openLibrary(BmcAddress bmc, byte[] password, byte[] bmcKey, Privilege privilege) throws BmcException {
        byte[] key = libraryBmcKey(bmc, bmcKey);
        IpmiConnector c = connector();
        InetAddress address = resolve(bmc);
        String secret = password == null ? "" : new String(password, java.nio.charset.StandardCharsets.UTF_8);
        BmcException last = null;
        for (int attempt = 1; attempt <= timing.tries(); attempt++) {
            CipherSuite suite = CipherSuites.of(bmc);
            ConnectionHandle handle;
            try {
                handle = c.createConnection(address, bmc.port(), suite, privilege.level);
            } catch (IOException e) {
                throw new BmcException(BmcException.Kind.FAILED, "cannot set up a connection to BMC " + bmc.display()
                        + ": " + e.getMessage(), e);
            }
            try {
                guard().watch(handle.getHandle(), CipherSuites.rmcp(bmc), bmc.display());
            } catch (BmcException e) {
                c.closeConnection(handle);
                throw e;
            }
            try {
                Session session = call(timing.perTry().multipliedBy(OPEN_MESSAGES),
                        () -> c.openSession(handle, bmc.userName(), secret, key));
                LibrarySession opened = new LibrarySession(this, c, handle, session, bmc);
                if (privilege != Privilege.USER) raise(opened, privilege);
                return opened;
            } catch (InterruptedException e) {
                c.closeConnection(handle);
                Thread.currentThread().interrupt();
                throw new BmcException(BmcException.Kind.FAILED, "interrupted while opening a session with BMC " + bmc.display());
            } catch (Exception e) {
                c.closeConnection(handle);
                last = opening(bmc, e, attempt, key != null);
                if (!transientOpening(e)) throw last;
            }
        }
        throw last;
    }

    /**
     * The BMC key as the library takes it, null for none (a key of zeros is none, IPMI v2.0 13.31).
     * The library turns it into a String and back with the platform charset: a key that does not
     * survive that would key the session wrongly, so it is refused here with a reason.
     */
    private static byte[] libraryBmcKey(BmcAddress bmc, byte[] bmcKey) throws BmcException {
        if (BmcKeys.effective(bmc, bmcKey) == null) return null;
        if (!java.util.Arrays.equals(new String(bmcKey, java.nio.charset.Charset.defaultCharset())
                .getBytes(java.nio.charset.Charset.defaultCharset()), bmcKey)) {
            throw new BmcException(BmcException.Kind.REFUSED, "the BMC key (K_G) for BMC " + bmc.display() + " is not"
                    + " text in " + java.nio.charset.Charset.defaultCharset() + ", which Serial-over-LAN needs (power"
                    + " control takes any bytes)");
        }
        return bmcKey;
    }

    /** A session starts at user privilege; a command that needs more asks for it. */
    private static void raise(LibrarySession session, Privilege privilege) throws BmcException {
        try {
            session.send("raising the session to " + privilege.name().toLowerCase(java.util.Locale.ROOT) + " privilege", true,
                    new SetSessionPrivilegeLevel(IpmiVersion.V20, session.handle().getCipherSuite(),
                            AuthenticationType.RMCPPlus, privilege.level));
        } catch (BmcException e) {
            session.close();
            throw e;
        }
    }

    private InetAddress resolve(BmcAddress bmc) throws BmcException {
        if (org.ctys.grammar.Names.isIpv4(bmc.host())) {
            try {
                return InetAddress.getByName(bmc.host()); // a literal: nothing is looked up
            } catch (UnknownHostException e) {
                throw new BmcException(BmcException.Kind.UNREACHABLE, "BMC address '" + bmc.host() + "': " + e.getMessage());
            }
        }
        try {
            return call(timing.perTry(), () -> InetAddress.getByName(bmc.host()));
        } catch (UnknownHostException e) {
            throw new BmcException(BmcException.Kind.UNREACHABLE, "BMC address '" + bmc.host() + "' is unknown: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BmcException(BmcException.Kind.FAILED, "interrupted while looking up BMC address '" + bmc.host() + "'");
        } catch (TimeoutException e) {
            throw new BmcException(BmcException.Kind.UNREACHABLE, "looking up BMC address '" + bmc.host() + "' took longer than "
                    + timing.perTry().toMillis() + " ms");
        } catch (Exception e) {
            throw new BmcException(BmcException.Kind.UNREACHABLE, "BMC address '" + bmc.host() + "': " + e.getMessage());
        }
    }

    /** Says what a failed session start means, in words a person can act on. */
    private BmcException opening(BmcAddress bmc, Exception e, int attempt, boolean withBmcKey) {
        String who = "BMC " + bmc.display();
        String user = bmc.user() == null ? "the anonymous user" : "user '" + bmc.user() + "'";
        if (e instanceof IPMIException ipmi) {
            CompletionCode code = ipmi.getCompletionCode();
            return switch (code) {
                case UnauthorizedName, InvalidNameLength -> new BmcException(BmcException.Kind.AUTHENTICATION,
                        who + " does not know " + user + " (check user: in the inventory's bmc entry)");
                case InvalidRole, UnauthorizedRole, InsufficentPrivilege, InsufficientResourcesForRole ->
                        new BmcException(BmcException.Kind.REFUSED, who + " refused " + user
                                + " the privilege this command needs (" + code.getMessage() + ")");
                case NoMatchingCipherSuite, InvalidAuthenticationAlgorithm, InvalidIntegrityAlgorithm,
                        InvalidConfidentialityAlgorithm, NoMatchingAuthenticationPayload, NoMatchingIntegrityPayload ->
                        new BmcException(BmcException.Kind.REFUSED, who + " does not offer cipher suite "
                                + bmc.cipherSuite() + " (set cipher-suite: in the inventory's bmc entry)");
                case InsufficientResources -> new BmcException(BmcException.Kind.FAILED, who
                        + " has no free session (too many open sessions); try again later");
                default -> new BmcException(BmcException.Kind.FAILED, who + " refused the session: " + code.getMessage());
            };
        }
        if (e instanceof IllegalArgumentException && String.valueOf(e.getMessage()).contains("Authentication check failed")) {
            return new BmcException(BmcException.Kind.AUTHENTICATION, "wrong password for " + user + " on " + who
                    + " (the BMC's key exchange does not match it)");
        }
        if (rakp4Failed(e)) {
            return RmcpSession.rakp4Failed(who, withBmcKey);
        }
        if (e instanceof TimeoutException || timedOut(e)) {
            return new BmcException(BmcException.Kind.UNREACHABLE, who + " does not answer (" + attempt + " tries, "
                    + timing.perTry().toMillis() + " ms each): is it up, and is IPMI over LAN enabled on UDP port "
                    + bmc.port() + "?");
        }
        return new BmcException(BmcException.Kind.FAILED, who + ": the session could not be opened (" + attempt
                + " tries): " + e.getMessage(), e);
    }

    /** The library's RAKP 4 check (its Rakp3 class) failed: the session keys do not match the BMC's. */
    private static boolean rakp4Failed(Exception e) {
        return e instanceof IllegalArgumentException && "Integrity check failed".equals(e.getMessage());
    }

    static boolean timedOut(Exception e) {
        return e instanceof ConnectionException && String.valueOf(e.getMessage()).contains("timed out");
    }

    /**
     * Worth a new try: anything but the BMC's own refusal (a completion code) and a password that
     * does not match. The library also fails a session start on a state it could not leave or on a
     * packet it could not check; a new connection starts clean. A failed RAKP 4 check is tried
     * again too: the library reports a stray packet of another session (a console being taken
     * over) the same way, so only a check that fails on every try is named as a K_G mismatch.
     */
    static boolean transientOpening(Exception e) {
        if (e instanceof IPMIException) return false;
        return !(e instanceof IllegalArgumentException && String.valueOf(e.getMessage()).contains("Authentication check failed"));
    }

    /** A timeout or a state the library could not leave; errors the BMC answered with are final. */
    static boolean transientFailure(Exception e) {
        return e instanceof TimeoutException || e instanceof ConnectionException;
    }

    /** Runs one library call, bounded by this client; its own errors pass through unchanged. */
    <T> T call(Duration bound, Callable<T> body) throws Exception {
        Future<T> f;
        try {
            f = calls.submit(body);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new BmcException(BmcException.Kind.FAILED, "the IPMI client is closed");
        }
        try {
            return f.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception x) throw x;
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /** Ends the sessions still open, then closes the socket; calls still running end with their bound. */
    @Override
    public void close() {
        IpmiConnector c;
        RmcpSocket s;
        synchronized (this) {
            closed = true;
            c = connector;
            connector = null;
            s = socket;
            socket = null;
        }
        calls.shutdownNow();
        if (c != null) c.tearDown();
        if (s != null) {
            // sessions a stopped command left open are closed at their BMCs first (a BMC has few)
            try {
                s.endSessions().get(timing.perTry().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // each BMC ends an unclosed session by its own timeout
            }
            s.close();
        }
    }
}
