package org.ctys.transport.ssh.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionHeartbeatController.HeartbeatType;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.session.ServerSession;
import org.ctys.transport.ssh.SshTransport;

/**
 * The console server's SSH front door: Apache MINA SSHD's server, cut down to what a console
 * session needs. Users log in with a public key only (no password, no keyboard-interactive, no
 * certificates); a client may open session channels with an exec or a shell request and a pseudo
 * terminal, nothing else: no port, agent or X11 forwarding, no subsystems (sftp), no env.
 *
 * <p>Each session runs {@link SessionHandler#serve} on a platform thread of its own from a cached
 * pool (Java 17 has no virtual threads): a session blocks in reads of what the user types and in
 * writes to a client that is slow, and must block nobody else. MINA's few I/O threads only move
 * packets. A write to {@link FrontDoorSession#out()} while a client does not read (its window
 * full) blocks that session's thread for at most the stall limit; then the session is dropped.
 * {@link FrontDoorSession#queue()} never blocks (see {@link OutputQueue}). A client that stops
 * reading its TCP socket altogether is cut by MINA after its write timeout (30 s). Small writes
 * go out at once (TCP_NODELAY, as sshd sets it for interactive sessions): a console's line must
 * not wait for the acknowledgement of the one before.
 *
 * <p>Sessions are never ended for being idle (a watcher may watch a quiet console for days);
 * instead an SSH_MSG_IGNORE every minute and TCP keepalive find clients that vanished. Connections
 * that have not logged in yet are bounded in number and in time, as sshd's MaxStartups and
 * LoginGraceTime bound them ({@link Startups}).
 */
public final class SshFrontDoor implements AutoCloseable {
    /** Session channels per connection, as OpenSSH's MaxSessions. */
    static final int MAX_SESSIONS_PER_CONNECTION = 10;
    /**
     * Connections one user may hold at once: each session is a thread of the daemon's and a
     * share of what it keeps for its users; a few dozen consoles watched at once stay well inside.
     */
    static final int MAX_CONNECTIONS_PER_USER = 64;
    /** Authentication attempts per connection, as OpenSSH's MaxAuthTries. */
    static final int MAX_AUTH_TRIES = 6;
    static final Duration HEARTBEAT = Duration.ofMinutes(1);
    /** How long {@link #close()} waits for handlers to return once their sessions are closed. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /** How long {@link #close()} waits for exit statuses already given to reach their clients. */
    static final Duration LEAVE_WAIT = Duration.ofSeconds(2);

    private static final AttributeKey<String> ACCEPTED = new AttributeKey<>();
    /** The key a connection logged in with: kept to ask again, after a reload, whether it still may. */
    private static final AttributeKey<PublicKey> ACCEPTED_KEY = new AttributeKey<>();
    private static final String MINA_LOG = "org.slf4j.simpleLogger.log.org.apache.sshd";
    private static final String ACCEPTOR_LOG = MINA_LOG + ".common.io.nio2.Nio2Acceptor";
    private static final String SESSION_LOG = MINA_LOG + ".server.session.ServerSessionImpl";
    private static final String CHANNEL_LOG = "org.slf4j.simpleLogger.log." + DoorChannel.class.getName();

    /**
     * @param stallLimit how long a write may wait for a client that does not read before its session is dropped
     * @param events     the front door's one-line events (refused and accepted keys, dropped sessions,
     *                   failed handlers); never a secret. Called on MINA's threads: must not block.
     */
    public record Settings(Duration stallLimit, Consumer<String> events) {
        /** 30 s (MINA's own wait for window space); events on stderr as the daemon's other messages. */
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(30),
                line -> System.err.println("ctys-consoled: " + line));

        public Settings {
            Objects.requireNonNull(events, "events");
            if (stallLimit == null || stallLimit.isNegative() || stallLimit.isZero()) {
                throw new IllegalArgumentException("stall limit must be positive: " + stallLimit);
            }
        }
    }

    private final SshServer server;
    private final ExecutorService sessions;
    private final String fingerprint;
    private final Consumer<String> events;
    private final Leaving leaving;
    private final KeyAuthorizer keys;
    private final Startups startups;

    private SshFrontDoor(SshServer server, ExecutorService sessions, String fingerprint, Consumer<String> events,
                         Leaving leaving, KeyAuthorizer keys, Startups startups) {
        this.server = server;
        this.startups = startups;
        this.keys = keys;
        this.leaving = leaving;
        this.sessions = sessions;
        this.fingerprint = fingerprint;
        this.events = events;
    }

    /**
     * Listens at once; public-key authentication only (no password, no keyboard-interactive);
     * no port forwarding, agent forwarding, X11, subsystems (sftp) or env; one thread per session
     * runs handler.serve(). hostKey: an OpenSSH private key file, made (ed25519, 0600) when missing.
     */
    public static SshFrontDoor start(InetSocketAddress listen, Path hostKey, KeyAuthorizer keys, SessionHandler handler)
            throws IOException {
        return start(listen, hostKey, keys, handler, Settings.DEFAULT);
    }

    /** Like {@link #start(InetSocketAddress, Path, KeyAuthorizer, SessionHandler)}, with its stall limit and events. */
    public static SshFrontDoor start(InetSocketAddress listen, Path hostKey, KeyAuthorizer keys, SessionHandler handler,
                                     Settings settings) throws IOException {
        return start(listen, hostKey, keys, handler, settings, Startups.Limits.DEFAULT);
    }

    /** Like {@link #start(InetSocketAddress, Path, KeyAuthorizer, SessionHandler, Settings)}, with its own bounds on connections not logged in. */
    static SshFrontDoor start(InetSocketAddress listen, Path hostKey, KeyAuthorizer keys, SessionHandler handler,
                              Settings settings, Startups.Limits startupLimits) throws IOException {
        quietLogs();
        List<KeyPair> hostKeys = HostKeyFile.loadOrMake(hostKey);
        Consumer<String> events = settings.events();
        ExecutorService sessions = sessionThreads();
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost(listen.getAddress() == null ? listen.getHostString() : listen.getAddress().getHostAddress());
        server.setPort(listen.getPort());
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKeys));

        keysOnly(server, keys, events);
        Leaving leaving = new Leaving();
        sessionsOnly(server, handler, sessions, settings, leaving);
        limits(server);
        Startups startups = new Startups(startupLimits, events);
        server.addSessionListener(startups);
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            sessions.shutdownNow();
            startups.close();
            try {
                server.stop(true);
            } catch (IOException | RuntimeException ignored) {
                // it did not start; what matters is why
            }
            throw new IOException("cannot listen on " + Events.address(listen) + ": "
                    + (e instanceof BindException ? e.getMessage() : e.toString()), e);
        }
        return new SshFrontDoor(server, sessions, KeyUtils.getFingerPrint(hostKeys.get(0).getPublic()), events, leaving, keys,
                startups);
    }

    /**
     * Asks the authorizer again about every connection's login key (its keys have changed: a
     * reload) and closes each connection whose key it no longer accepts, with every session on it:
     * a key taken away keeps neither the consoles it reached nor a connection that could open more
     * (a client's ControlMaster). The client is told why. Returns how many were closed. A login
     * that was accepted by the old keys and completes after this is asked again as it completes.
     */
    public int dropRevoked() {
        int dropped = 0;
        for (org.apache.sshd.common.session.helpers.AbstractSession s : server.getActiveSessions()) {
            if (s instanceof ServerSession ss && ss.isAuthenticated() && !stillAccepted(keys, ss)) {
                drop(ss, events);
                dropped++;
            }
        }
        return dropped;
    }

    private static boolean stillAccepted(KeyAuthorizer keys, ServerSession s) {
        PublicKey key = s.getAttribute(ACCEPTED_KEY);
        try {
            return key != null && keys.accepts(s.getUsername(), key);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void drop(ServerSession s, Consumer<String> events) {
        events.accept("closing the connection of " + Events.printable(s.getUsername()) + " from " + Events.address(s.getClientAddress())
                + ": its key " + s.getAttribute(ACCEPTED) + " is no longer accepted");
        try {
            s.disconnect(org.apache.sshd.common.SshConstants.SSH2_DISCONNECT_BY_APPLICATION,
                    "your key is no longer accepted by this console server");
        } catch (IOException | RuntimeException e) {
            s.close(true);
        }
    }

    /** The bound port (listen port 0 = any). */
    public int port() {
        return server.getPort();
    }

    /** Connections accepted that have not logged in yet. */
    int waitingToLogIn() {
        return startups.waiting();
    }

    /** SHA256:... as ssh-keygen -l prints it (of the first key in the host key file). */
    public String hostKeyFingerprint() {
        return fingerprint;
    }

    /**
     * Lets the sessions close, the exit statuses given or about to be given reaching their clients
     * ({@link #LEAVE_WAIT} at most, which a session whose handler goes on running waits out), then
     * stops listening and ends every session: their handlers see end of input and failing writes, and
     * are interrupted; waits {@link #CLOSE_WAIT} at most for them to return. Idempotent.
     */
    @Override
    public void close() {
        try {
            if (!leaving.await(LEAVE_WAIT)) {
                events.accept("sessions not closed " + LEAVE_WAIT.toSeconds() + " s after the door began closing; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            server.stop(true);
        } catch (IOException e) {
            events.accept("stopping the SSH front door: " + e.getMessage());
        }
        startups.close();
        sessions.shutdownNow();
        try {
            if (!sessions.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                events.accept("sessions still running " + CLOSE_WAIT.toSeconds() + " s after the front door closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Public-key authentication and nothing else; every refusal an event, the accepted login one too. */
    private static void keysOnly(SshServer server, KeyAuthorizer keys, Consumer<String> events) {
        server.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setGSSAuthenticator(null);
        server.setHostBasedAuthenticator(null);
        server.setPublickeyAuthenticator((user, key, session) -> authorize(keys, user, key, session, events));
        server.addSessionListener(new Accepted(keys, events));
    }

    /** Session channels with exec or shell, run by the handler; no other channel, forwarding, agent or subsystem. */
    private static void sessionsOnly(SshServer server, SessionHandler handler, ExecutorService sessions, Settings settings,
                                     Leaving leaving) {
        server.setChannelFactories(List.of(DoorChannel.FACTORY));
        server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        server.setAgentFactory(null);
        server.setSubsystemFactories(List.of());
        server.setCommandFactory((channel, command) ->
                new DoorCommand(command, handler, sessions, settings.stallLimit(), settings.events(), leaving));
        server.setShellFactory(channel -> new DoorCommand("", handler, sessions, settings.stallLimit(), settings.events(), leaving));
    }

    /**
     * No idle timeout but a heartbeat, no Nagle, sshd's MaxSessions and MaxAuthTries, connections per
     * user (the stall limit is the sessions'). No auth timeout of MINA's: it starts again at each
     * request for the authentication service; {@link Startups} times a login from the accept.
     */
    private static void limits(SshServer server) {
        CoreModuleProperties.IDLE_TIMEOUT.set(server, Duration.ZERO);
        CoreModuleProperties.AUTH_TIMEOUT.set(server, Duration.ZERO);
        CoreModuleProperties.SOCKET_KEEPALIVE.set(server, true);
        CoreModuleProperties.TCP_NODELAY.set(server, true);
        CoreModuleProperties.MAX_CONCURRENT_CHANNELS.set(server, MAX_SESSIONS_PER_CONNECTION);
        CoreModuleProperties.MAX_CONCURRENT_SESSIONS.set(server, MAX_CONNECTIONS_PER_USER);
        CoreModuleProperties.MAX_AUTH_REQUESTS.set(server, MAX_AUTH_TRIES);
        server.setSessionHeartbeat(HeartbeatType.IGNORE, HEARTBEAT);
    }

    private static boolean authorize(KeyAuthorizer keys, String user, PublicKey key, ServerSession session,
                                     Consumer<String> events) {
        String who = " for " + Events.printable(user) + " from " + Events.address(session.getClientAddress());
        if (key instanceof OpenSshCertificate) {
            events.accept("refused certificate " + KeyUtils.getFingerPrint(key) + who + ": certificates are not accepted");
            return false;
        }
        boolean accepted;
        try {
            accepted = keys.accepts(user, key);
        } catch (RuntimeException e) {
            events.accept("refused key " + KeyUtils.getFingerPrint(key) + who + ": checking it failed: " + e);
            return false;
        }
        if (accepted) {
            session.setAttribute(ACCEPTED, KeyUtils.getFingerPrint(key));
            session.setAttribute(ACCEPTED_KEY, key);
        } else {
            events.accept("refused key " + KeyUtils.getFingerPrint(key) + who);
        }
        return accepted;
    }

    /**
     * "accepted key ... for alice from ...", once a login has succeeded (the key may have been asked
     * about before); a login whose key the keys of a reload in between no longer take is closed.
     */
    private static final class Accepted implements SessionListener {
        private final KeyAuthorizer keys;
        private final Consumer<String> events;

        Accepted(KeyAuthorizer keys, Consumer<String> events) {
            this.keys = keys;
            this.events = events;
        }

        @Override
        public void sessionEvent(Session session, Event event) {
            if (event == Event.Authenticated && session instanceof ServerSession s) {
                if (!stillAccepted(keys, s)) {
                    drop(s, events);
                    return;
                }
                events.accept("accepted key " + s.getAttribute(ACCEPTED) + " for " + Events.printable(s.getUsername())
                        + " from " + Events.address(s.getClientAddress()));
            }
        }
    }

    /**
     * MINA's log at WARN as for ctys's SSH client; minus what the events say better: a port that
     * cannot be bound (the IOException of start says it once), clients that vanish (killed, reset:
     * no warning for a server). MINA names the channel's logger after its class: DoorChannel logs
     * at MINA's level. Levels set by the user win.
     */
    private static void quietLogs() {
        SshTransport.quietMina();
        setUnlessSet(ACCEPTOR_LOG, "off");
        setUnlessSet(SESSION_LOG, "error");
        setUnlessSet(CHANNEL_LOG, System.getProperty(MINA_LOG, "warn"));
    }

    private static void setUnlessSet(String key, String level) {
        if (System.getProperty(key) == null) System.setProperty(key, level);
    }

    /** Platform threads, one per running session, reused when sessions end; daemon threads so they never hold the JVM. */
    private static ExecutorService sessionThreads() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "ctys-door-session-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
    }
}
