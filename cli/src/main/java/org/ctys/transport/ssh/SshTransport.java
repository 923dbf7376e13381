package org.ctys.transport.ssh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Runs commands over SSH with one MINA client for the whole run and one session per
 * (user, host, port, jump chain), shared by every thread. Every wait is bounded; every failure
 * is an {@link SshFailure} with a kind and a message a user can act on.
 *
 * <p>Jump hosts are chained here rather than by MINA's ProxyJump support: each hop is a local
 * forward through the previous session, in OpenSSH {@code -J} order, and each hop's host key is
 * checked under its own name. MINA builds its chain from the other end of the list, so handing it
 * an OpenSSH-ordered ProxyJump would dial the last hop first.
 */
public final class SshTransport implements AutoCloseable {
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    static final int HEARTBEAT_MISSES = 3;
    /** No packet either way for this long ends a session (outside a key exchange the keepalives keep it alive). */
    static final Duration IDLE = HEARTBEAT.multipliedBy(8);
    /** How long closing waits for the hops of released sessions still being closed. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    static {
        quietMina();
    }

    /** Hops a ProxyJump chain may grow to through the first hop's own ProxyJump; more is taken for a loop. */
    static final int MAX_HOPS = 16;

    private final SshOptions options;
    private final Warnings warnings;
    /**
     * One key provider per identity file, for the whole run: MINA's provider keeps the keys it
     * parsed, so 256 logins with the same key read and decode its file once, not 256 times.
     */
    private final java.util.Map<Path, FileKeyPairProvider> keyFiles = new ConcurrentHashMap<>();
    /** The keys of each identity file's .pub, read once a run as the key files are. */
    private final java.util.Map<Path, List<java.security.PublicKey>> publicKeys = new ConcurrentHashMap<>();
    private final Object startLock = new Object();
    private final ConcurrentHashMap<String, java.util.concurrent.locks.ReentrantLock> keyLocks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Connection> connections = new ConcurrentHashMap<>();
    /** Per connection key: how many callers said they will still use it ({@link #hold}). */
    private final ConcurrentHashMap<String, Integer> holds = new ConcurrentHashMap<>();
    /** Threads closing released sessions' hops; {@link #close()} waits for them. */
    private final java.util.Set<Thread> closing = ConcurrentHashMap.newKeySet();
    private SshClient client; // guarded by startLock
    private SshConfig config; // guarded by startLock
    private AgentSocketFactory agent; // guarded by startLock; null without an agent
    private boolean closed; // guarded by startLock

    public SshTransport(SshOptions options) {
        this.options = java.util.Objects.requireNonNull(options, "options");
        this.warnings = new Warnings(options.warnings());
    }

    /**
     * MINA logs through SLF4J; at normal level its messages would reach the user's terminal next to
     * our own. Its warnings stay visible, except the client session's: each of those (a refused host
     * key, a connection reset) already ends as an {@link SshFailure} saying the same thing in words a
     * user can act on. Levels set by the user on the command line win. Public for the console
     * server's front door, whose MINA logs the same way.
     */
    public static void quietMina() {
        setUnlessSet("org.slf4j.simpleLogger.log.org.apache.sshd", "warn");
        setUnlessSet("org.slf4j.simpleLogger.log.org.apache.sshd.client.session.ClientSessionImpl", "error");
    }

    private static void setUnlessSet(String key, String level) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, level);
        }
    }

    /**
     * Starts, on daemon threads, what a first login would otherwise do on its own path: building
     * the SSH client and the ed25519 tables. For a command that will log in over SSH, called as
     * soon as that is known; the next transport to start takes what was built.
     */
    public static void prepare() {
        ClientStart.prepare();
    }

    public ExecResult exec(SshTarget target, String command, Duration timeout) throws SshFailure {
        java.util.Objects.requireNonNull(command, "command");
        requirePositive(timeout);
        return exec(target, command, timeout, false);
    }

    /**
     * Runs a command, on a pseudo terminal if {@code pty} (like {@code ssh -t}): the command sees a tty,
     * and its stderr reaches {@link ExecResult#stdout()} merged with stdout. All of its output is held
     * in memory: for commands whose output is known to be small. With
     * {@link SshOptions#forwardAgent()} and an agent the command also reaches the local ssh-agent.
     */
    public ExecResult exec(SshTarget target, String command, Duration timeout, boolean pty) throws SshFailure {
        java.util.Objects.requireNonNull(command, "command");
        requirePositive(timeout);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        ExecResult ended = exec(target, command, timeout, pty, out, err);
        return new ExecResult(out.toByteArray(), err.toByteArray(), ended.exitStatus(), ended.exitSignal(), ended.elapsed());
    }

    /**
     * Runs a command as {@link #exec(SshTarget, String, Duration, boolean)} does, but its output and
     * error output are written to {@code out} and {@code err} as they arrive, in the transport's own
     * threads, and the result carries no output. The command is read to its end at the pace of
     * those streams: a caller bounds its memory by what the streams keep.
     */
    public ExecResult exec(SshTarget target, String command, Duration timeout, boolean pty, java.io.OutputStream out,
                           java.io.OutputStream err) throws SshFailure {
        java.util.Objects.requireNonNull(command, "command");
        java.util.Objects.requireNonNull(out, "out");
        java.util.Objects.requireNonNull(err, "err");
        requirePositive(timeout);
        return exec(target, command, timeout, pty, null, out, err);
    }

    /**
     * Runs a command as {@link #exec(SshTarget, String, Duration, boolean, java.io.OutputStream, java.io.OutputStream)}
     * does, with {@code input} (null: none) on its standard input, then end of input: a script handed
     * to a command that stores it, without a temporary file on either side.
     */
    public ExecResult exec(SshTarget target, String command, Duration timeout, boolean pty, byte[] input,
                           java.io.OutputStream out, java.io.OutputStream err) throws SshFailure {
        java.util.Objects.requireNonNull(command, "command");
        java.util.Objects.requireNonNull(out, "out");
        java.util.Objects.requireNonNull(err, "err");
        requirePositive(timeout);
        boolean forwardAgent = options.forwardAgent() && options.agentSocket() != null;
        return connection(target).exec(command, timeout, pty, forwardAgent, input, out, err);
    }

    /**
     * Forwards an ephemeral port on 127.0.0.1 to {@code remoteHost:remotePort} as the target sees it
     * (like {@code ssh -L}), over the target's session and so through its jump hosts. Whether the far
     * end accepts shows only when a connection to {@link Forward#localPort()} is made: the server then
     * opens its side, and a refusal closes that connection.
     */
    public Forward forward(SshTarget target, String remoteHost, int remotePort) throws SshFailure {
        java.util.Objects.requireNonNull(remoteHost, "remoteHost");
        if (remoteHost.isBlank() || remotePort < 1 || remotePort > 65535) {
            throw new IllegalArgumentException("bad forward destination: " + remoteHost + ":" + remotePort);
        }
        return connection(target).forward(remoteHost, remotePort);
    }

    /**
     * Reads the configuration for {@code target} and resolves its hops as a login does, without
     * connecting: what would refuse the login (a bad line, a config file others can write, a jump
     * loop) is known before a command sends anything anywhere.
     */
    public void check(SshTarget target) throws SshFailure {
        chain(config(), target);
    }

    /**
     * Connects and authenticates only. {@code timeout} bounds the whole login (every hop's lookup,
     * connect and authentication together, and a wait for another login to the same host) in
     * addition to the per-hop bounds, so a caller polling a booting machine waits no longer.
     */
    public void login(SshTarget target, Duration timeout) throws SshFailure {
        requirePositive(timeout);
        SshOptions bounded = options.withTimeouts(min(options.connectTimeout(), timeout), min(options.authTimeout(), timeout));
        connection(target, bounded, System.nanoTime() + timeout.toNanos(), timeout);
    }

    /**
     * Starts a login shell on the target over the same session an exec would use (same config,
     * host key and jump rules). {@code pty} null: no pseudo terminal. The caller waits for it and
     * closes it; {@code timeout} bounds only getting the shell started.
     */
    public ShellChannel shell(SshTarget target, ShellChannel.Pty pty, java.io.OutputStream out,
                              java.io.OutputStream err, Duration timeout) throws SshFailure {
        requirePositive(timeout);
        Hop last = started().resolve(target.host(), target.user(), target.port());
        return ShellChannel.open(connection(target), pty, out, err, timeout, last.address());
    }

    /**
     * Starts {@code command}, a console (virsh console), on a pseudo terminal of {@code term} and
     * the size given, over the same session an exec would use; the caller reads, writes and closes
     * it. {@code timeout} bounds only getting it started.
     */
    public ConsoleChannel console(SshTarget target, String command, String term, int columns, int rows, Duration timeout)
            throws SshFailure {
        java.util.Objects.requireNonNull(command, "command");
        requirePositive(timeout);
        Hop last = started().resolve(target.host(), target.user(), target.port());
        return ConsoleChannel.open(connection(target), command, term, columns, rows, timeout, last.address());
    }

    /**
     * Starts {@code command} for as long as the caller listens (see {@link WatchChannel}), over the
     * session an exec would use; its output goes to {@code out} and {@code err} in the transport's
     * threads. Null when all the session's channels are taken. {@code timeout} bounds the login and
     * the channel's opening only.
     */
    public WatchChannel watch(SshTarget target, String command, Duration timeout, java.io.OutputStream out,
                              java.io.OutputStream err) throws SshFailure {
        java.util.Objects.requireNonNull(command, "command");
        requirePositive(timeout);
        return connection(target).watch(command, timeout, out, err);
    }

    /**
     * Says that {@code target} will be used once more: its session, once made, is kept until as many
     * {@link #release}s came for the same hops. A target whose configuration refuses it is not
     * counted (it never logs in).
     */
    public void hold(SshTarget target) {
        String key = keyOrNull(target);
        if (key != null) holds.merge(key, 1, Integer::sum);
    }

    /**
     * One use said with {@link #hold} has ended. The last one closes the session and its hops (a
     * fan-out over a thousand machines does not keep a thousand sessions open until it ends); a
     * later use logs in again. Sessions never held stay until {@link #close()}. Never blocks: hops
     * (jump sessions, a ProxyCommand to wait for) are closed on a thread of their own, which
     * {@link #close()} waits for.
     */
    public void release(SshTarget target) {
        String key = keyOrNull(target);
        if (key == null) return;
        Connection[] gone = {null};
        // taken from the map in the same step as the last count, so a hold that comes at the same
        // time either keeps the session or finds none and logs in again
        holds.computeIfPresent(key, (k, n) -> {
            if (n > 1) return n - 1;
            gone[0] = connections.remove(k);
            return null;
        });
        if (gone[0] != null) closeSoon(gone[0]);
    }

    private void closeSoon(Connection conn) {
        if (!conn.hasHops()) {
            conn.close(); // the session alone: MINA's immediate close does not wait
            return;
        }
        Thread t = new Thread(() -> {
            try {
                conn.close();
            } finally {
                closing.remove(Thread.currentThread());
            }
        }, "ctys-ssh-close");
        t.setDaemon(true);
        closing.add(t);
        t.start();
    }

    private String keyOrNull(SshTarget target) {
        try {
            return key(chain(config(), target));
        } catch (SshFailure refused) {
            return null;
        }
    }

    /** The hops as one key: two targets reached the same way share one session. */
    private static String key(List<Hop> hops) {
        return hops.stream().map(h -> h.address() + (h.proxyCommand() == null ? "" : " | " + h.proxyCommand().command()))
                .collect(Collectors.joining(" > "));
    }

    /** Number of sessions currently held; for tests that check reuse. */
    int openSessions() {
        return (int) connections.values().stream().filter(Connection::isOpen).count();
    }

    @Override
    public void close() {
        SshClient c;
        synchronized (startLock) {
            if (closed) {
                return;
            }
            closed = true;
            c = client;
        }
        for (Connection conn : connections.values()) {
            conn.close();
        }
        connections.clear();
        // they run at once, each bounded: a ProxyCommand that does not end is killed within about 4 s
        long until = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (Thread t : List.copyOf(closing)) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (c != null) {
            c.stop();
        }
    }

    private Connection connection(SshTarget target) throws SshFailure {
        return connection(target, options, Long.MAX_VALUE, null);
    }

    /**
     * @param deadline when the whole login must be done (System.nanoTime), {@link Long#MAX_VALUE} for none
     * @param bound    the bound that deadline stands for, for messages; null for none
     */
    private Connection connection(SshTarget target, SshOptions opts, long deadline, Duration bound) throws SshFailure {
        SshConfig cfg = started();
        List<Hop> hops = chain(cfg, target);
        String key = key(hops);

        Connection existing = connections.get(key);
        if (existing != null && existing.isOpen()) {
            return existing;
        }
        // One lock per key: callers for the same host wait for the one login, others are not held up.
        java.util.concurrent.locks.ReentrantLock lock = keyLocks.computeIfAbsent(key, k -> new java.util.concurrent.locks.ReentrantLock());
        try {
            if (deadline == Long.MAX_VALUE) {
                lock.lockInterruptibly();
            } else if (!lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new SshFailure(SshFailure.Kind.TIMEOUT, "no login to " + target.host() + " within " + Durations.text(bound)
                        + ": another login to it was still under way");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshFailure(SshFailure.Kind.TIMEOUT, "interrupted while another login to " + target.host() + " was under way", e);
        }
        try {
            existing = connections.get(key);
            if (existing != null && existing.isOpen()) {
                return existing;
            }
            if (existing != null) {
                existing.close();
            }
            Connection fresh = open(hops, opts, deadline, bound);
            synchronized (startLock) {
                if (closed) {
                    fresh.close();
                    throw new SshFailure(SshFailure.Kind.DISCONNECTED, "SSH transport already closed");
                }
                connections.put(key, fresh);
            }
            return fresh;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The hops to the target in the order they are dialled, as OpenSSH forms them: jump hosts given
     * with the target (-J, the inventory) win over the config's ProxyJump or ProxyCommand for it;
     * the first jump host is reached as its own config says (its ProxyJump, its ProxyCommand), the
     * later ones through the hop before them. Only the first hop may carry a ProxyCommand.
     */
    private static List<Hop> chain(SshConfig cfg, SshTarget target) throws SshFailure {
        Hop last = cfg.resolve(target.host(), target.user(), target.port());
        if (target.jumps().isEmpty()) {
            return through(cfg, last, 0);
        }
        List<Hop> hops = jumps(cfg, target.jumps(), 0);
        hops.add(last.withoutProxy());
        return hops;
    }

    /** The hops to {@code hop} by its own ProxyJump, ending with it; {@code hop} alone when it has none. */
    private static List<Hop> through(SshConfig cfg, Hop hop, int depth) throws SshFailure {
        if (depth > MAX_HOPS) {
            throw new SshFailure(SshFailure.Kind.CONFIG, "the ProxyJump chain to " + hop.name() + " grows past " + MAX_HOPS
                    + " hops: do its jump hosts name each other?");
        }
        if (hop.proxyJump() == null) {
            return new ArrayList<>(List.of(hop));
        }
        List<Hop> hops = jumps(cfg, SshConfig.splitJumps(hop.proxyJump()), depth);
        hops.add(hop.withoutProxy());
        return hops;
    }

    private static List<Hop> jumps(SshConfig cfg, List<String> specs, int depth) throws SshFailure {
        List<Hop> hops = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Hop h = cfg.resolveJump(specs.get(i));
            hops.addAll(i == 0 ? through(cfg, h, depth + 1) : List.of(h.withoutProxy()));
        }
        return hops;
    }

    private SshConfig config() throws SshFailure {
        synchronized (startLock) {
            if (closed) {
                throw new SshFailure(SshFailure.Kind.DISCONNECTED, "SSH transport already closed");
            }
            if (config == null) {
                config = SshConfig.load(options, warnings);
            }
            return config;
        }
    }

    private SshConfig started() throws SshFailure {
        synchronized (startLock) {
            config();
            if (client == null) {
                SshClient c = ClientStart.take();
                // Everything MINA would look up by itself (config file, default keys in user.home,
                // passwords) is decided here instead, so nothing prompts and nothing bypasses SshOptions.
                c.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
                c.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
                // the identity files first, then the agent's other keys (none with IdentitiesOnly), as OpenSSH offers them
                c.setUserAuthFactories(List.of(KeyOrder.INSTANCE));
                c.setServerKeyVerifier((session, remote, key) -> HostKeyCheck.verify(session, key));
                c.setKexExtensionHandler(new HostKeyOrder());
                // local forwards (jump hops after the first, VNC) serve this user's sockets only
                c.setForwarderFactory(OwnUserForwarders.INSTANCE);
                // A host that vanishes (powered off, cable pulled) is found by keepalives, as OpenSSH's
                // ServerAliveInterval 15 / ServerAliveCountMax 3 would: within about a minute. During a
                // key exchange MINA neither sends nor counts keepalives (their replies wait for the new
                // keys), so a host that stops answering in a re-key would be kept for good: the idle
                // timer ends such a session. MINA resets it on every packet either way, so outside a key
                // exchange the keepalives (every 15 s) keep it from ever running out, and a long silent
                // command keeps its session.
                CoreModuleProperties.IDLE_TIMEOUT.set(c, IDLE);
                CoreModuleProperties.HEARTBEAT_INTERVAL.set(c, HEARTBEAT);
                CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(c, HEARTBEAT_MISSES);
                if (options.agentSocket() != null) {
                    agent = new AgentSocketFactory(options.agentSocket(), options.authTimeout(), options.forwardAgent());
                    c.setAgentFactory(agent);
                }
                c.start();
                client = c;
            }
            return config;
        }
    }

    private Connection open(List<Hop> hops, SshOptions opts, long deadline, Duration bound) throws SshFailure {
        List<AutoCloseable> underneath = new ArrayList<>();
        ClientSession previous = null;
        Hop previousHop = null;
        try {
            for (Hop hop : hops) {
                SshOptions hopOpts = opts.withTimeouts(within(connectBound(hop, opts), deadline, bound, hop),
                        within(opts.authTimeout(), deadline, bound, hop));
                SocketAddress address;
                ProxyRelay relay = null;
                if (previous == null && hop.proxyCommand() != null) {
                    relay = ProxyRelay.start(hop.proxyCommand(), hopOpts.connectTimeout());
                    underneath.add(relay);
                    address = relay.address();
                } else if (previous == null) {
                    address = new InetSocketAddress(resolve(hop, within(hopOpts.connectTimeout(), deadline, bound, hop)), hop.port());
                } else {
                    ExplicitPortForwardingTracker forward;
                    try {
                        forward = previous.createLocalPortForwardingTracker(
                                new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(hop.hostName(), hop.port()));
                    } catch (IOException | RuntimeException e) {
                        throw new SshFailure(SshFailure.Kind.CONNECT, "cannot forward through " + previousHop.hostName()
                                + " to " + hop.hostPort() + ": " + Durations.reason(e), e);
                    }
                    underneath.add(forward);
                    address = forward.getBoundAddress().toInetSocketAddress();
                }
                ClientSession session = login(hop, address, relay, previousHop, hopOpts.withTimeouts(
                        within(hopOpts.connectTimeout(), deadline, bound, hop), hopOpts.authTimeout()), deadline, bound);
                if (previous != null) {
                    underneath.add(underneath.size() - 1, previous); // the jump session outlives its forward
                }
                previous = session;
                previousHop = hop;
            }
            return new Connection(hops.get(hops.size() - 1), previous, underneath);
        } catch (SshFailure | RuntimeException e) {
            if (previous != null) {
                previous.close(true);
            }
            // already failing; the original failure is the one to report
            Connection.closeInReverse(underneath);
            throw e;
        }
    }

    /**
     * {@code stage}, or what is left before {@code deadline} when that is less: one stage of a login
     * a caller bounds. None left: the login has run out of its bound.
     */
    private static Duration within(Duration stage, long deadline, Duration bound, Hop hop) throws SshFailure {
        if (deadline == Long.MAX_VALUE) return stage;
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SshFailure(SshFailure.Kind.TIMEOUT, "no login to " + hop.hostPort() + " within " + Durations.text(bound));
        }
        return min(stage, Duration.ofNanos(left));
    }

    /**
     * The bound on one hop's lookup and connect: the ConnectTimeout the ssh_config gives the hop,
     * else ctys's own; a login a caller bounds (a poll of a booting machine) still ends within
     * that caller's bound.
     */
    private Duration connectBound(Hop hop, SshOptions opts) {
        if (hop.connectTimeout() == null) return opts.connectTimeout();
        return opts == options ? hop.connectTimeout() : min(hop.connectTimeout(), opts.connectTimeout());
    }

    /**
     * Looks the host name up within the connect timeout: the system resolver can take far longer
     * when a DNS server does not answer, and the lookup is part of connecting.
     */
    private static InetAddress resolve(Hop hop, Duration limit) throws SshFailure {
        String shown = hop.hostName() + (hop.name().equals(hop.hostName()) ? "" : " (" + hop.name() + ")");
        // on a thread of its own: names whose DNS hangs do not hold up the other hosts of a fan-out
        CompletableFuture<InetAddress> lookup = org.ctys.transport.net.Lookups.of(hop.hostName());
        try {
            return lookup.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SshFailure(SshFailure.Kind.TIMEOUT, "no answer resolving host name " + shown + " within "
                    + Durations.text(limit), e);
        } catch (ExecutionException e) {
            throw new SshFailure(SshFailure.Kind.CONNECT, "cannot resolve host name " + shown, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshFailure(SshFailure.Kind.TIMEOUT, "interrupted resolving host name " + shown, e);
        }
    }

    /** TCP connect, key exchange (host key check) and public-key auth for one hop, each bounded. */
    private ClientSession login(Hop hop, SocketAddress address, ProxyRelay relay, Hop via, SshOptions opts, long deadline,
                                Duration bound) throws SshFailure {
        IdentityFiles.Checked identities = IdentityFiles.check(hop.identities(), warnings);
        List<Path> keys = identities.usable();
        AgentSocketFactory agentKeys;
        synchronized (startLock) {
            agentKeys = agent;
        }
        if (keys.isEmpty() && agentKeys == null) {
            throw new SshFailure(SshFailure.Kind.AUTH, "no identity file for " + hop.address() + " (looked for "
                    + hop.identities().stream().map(Path::toString).collect(Collectors.joining(", "))
                    + ignoredText(identities) + ")");
        }
        String where = hop.hostPort() + (via == null ? "" : " via " + via.hostName())
                + (relay == null ? "" : " via its ProxyCommand (" + hop.proxyCommand().origin() + ")");
        HostKeyCheck check = new HostKeyCheck(hop, opts.acceptNewHostKeys());
        ConnectFuture connect;
        SshClient c;
        synchronized (startLock) {
            c = client;
        }
        try {
            connect = c.connect(hop.user(), address, AttributeRepository.ofKeyValuePair(HostKeyCheck.KEY, check),
                    relay == null ? null : relay.clientAddress());
            if (!connect.await(opts.connectTimeout().toMillis())) {
                connect.cancel();
                // Should the connect still complete after giving up, do not leave the session behind.
                connect.addListener(f -> {
                    if (f.isConnected()) {
                        f.getSession().close(true);
                    }
                });
                throw new SshFailure(SshFailure.Kind.TIMEOUT, "no answer from " + where + " within "
                        + Durations.text(opts.connectTimeout()));
            }
        } catch (IOException e) {
            throw new SshFailure(SshFailure.Kind.CONNECT, "cannot connect to " + where + ": " + Durations.reason(e), e);
        }
        if (!connect.isConnected()) {
            throw new SshFailure(SshFailure.Kind.CONNECT, "cannot connect to " + where + ": "
                    + Durations.reason(connect.getException()) + ending(relay), connect.getException());
        }
        ClientSession session = connect.getSession();
        try {
            // every file the config names: a .pub beside a missing or unusable private key still names an agent's key
            session.setAttribute(KeyOrder.KEY, new KeyOrder.Choice(hop.identities(), hop.identitiesOnly(),
                    p -> keys.contains(p) ? KeyOrder.load(keyFiles.computeIfAbsent(p, FileKeyPairProvider::new), session) : List.of(),
                    p -> publicKeys.computeIfAbsent(p, KeyOrder::publicKeysBeside)));
            AuthFuture auth = session.auth();
            Duration authBound = within(opts.authTimeout(), deadline, bound, hop);
            if (!auth.await(authBound.toMillis())) {
                if (check.refusal() != null) {
                    throw check.refusal();
                }
                throw new SshFailure(SshFailure.Kind.TIMEOUT, where + " accepted the connection but did not complete"
                        + " the SSH login within " + Durations.text(authBound));
            }
            if (auth.isSuccess()) {
                return session;
            }
            if (check.refusal() != null) {
                throw check.refusal();
            }
            Throwable why = auth.getException();
            // Without a server key the handshake never completed: whatever the session's state, no key was refused.
            if (session.getServerKey() == null) {
                throw new SshFailure(SshFailure.Kind.CONNECT, where + " closed the connection before the SSH handshake"
                        + " completed" + (via == null ? "" : " (is it reachable from " + via.hostName() + "?)")
                        + ending(relay), why);
            }
            if (session.isOpen() && !session.isClosing()) {
                throw new SshFailure(SshFailure.Kind.AUTH, "permission denied for " + hop.user() + "@" + where
                        + " (tried " + tried(agentKeys, keys, hop) + ignoredText(identities) + ")", why);
            }
            throw new SshFailure(SshFailure.Kind.DISCONNECTED, where + " closed the connection during login: "
                    + Durations.reason(why), why);
        } catch (IOException e) {
            session.close(true);
            throw new SshFailure(SshFailure.Kind.DISCONNECTED, "connection to " + where + " lost during login: "
                    + Durations.reason(e), e);
        } catch (SshFailure | RuntimeException e) {
            session.close(true);
            throw e;
        }
    }

    private static String ending(ProxyRelay relay) {
        return relay == null ? "" : relay.ending();
    }

    /** The key files left out, as part of an authentication failure's message. */
    private static String ignoredText(IdentityFiles.Checked identities) {
        return identities.ignored().isEmpty() ? ""
                : "; ignored as UNPROTECTED PRIVATE KEY FILE: " + String.join(", ", identities.ignored());
    }

    /** The keys offered, for the message when none was accepted, in the order they were: the files, then the agent's others. */
    private static String tried(AgentSocketFactory agentKeys, List<Path> keys, Hop hop) {
        List<String> parts = new ArrayList<>(keys.stream().map(Path::toString).toList());
        if (keys.isEmpty()) {
            parts.add("no identity file: looked for "
                    + hop.identities().stream().map(Path::toString).collect(Collectors.joining(", ")));
        }
        if (agentKeys != null) {
            IOException down = agentKeys.unreachable();
            parts.add((hop.identitiesOnly() ? "none of the other keys of ssh-agent at " + agentKeys.socket() + " (IdentitiesOnly yes)"
                    : "the other keys of ssh-agent at " + agentKeys.socket())
                    + (down == null ? "" : " (unreachable: " + Durations.reason(down) + ")"));
        }
        return String.join(", ", parts);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void requirePositive(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }
}
