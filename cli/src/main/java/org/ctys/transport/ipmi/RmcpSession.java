package org.ctys.transport.ipmi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One RMCP+ session with one BMC, spoken directly over the shared {@link RmcpSocket}: open session,
 * RAKP 1 to 4 (HMAC-SHA1 or HMAC-SHA256), then IPMI requests, integrity-protected and AES-encrypted
 * as the cipher suite says. Every request is bounded and tried again a bounded number of times.
 *
 * <p>All of a session's work happens on the socket's loop thread: each step of the session start
 * runs when the BMC's answer to the previous one arrives, and a request's wait is a timer of the
 * loop, so a waiting session holds no thread. {@link #openAsync}, {@link #request} and
 * {@link #end} hand their work to the loop and return at once; {@link #open}, {@link #call} and
 * {@link #close} wait for it, for callers that go one step at a time.
 *
 * <p>A packet from the BMC is believed only when the codec accepts it ({@link Rmcp#parse}), it
 * carries this session's ID, and its session sequence number is new to the {@link SequenceWindow}
 * of its kind; a reply must also match the request's sequence, command and function. Anything
 * else is dropped and counted by reason (logged at debug), and the count is part of the message
 * when the BMC seems to stop answering. The BMC counts as heard from only once a packet of it has
 * authenticated: RAKP 2's key exchange code, or a session packet's integrity code.
 */
final class RmcpSession implements AutoCloseable, RmcpSocket.Receiver {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long the close waits for the BMC's answer to Close Session at most. */
    private static final long CLOSE_WAIT_NANOS = 500_000_000L;

    private final RmcpSocket socket;
    private final InetSocketAddress to;
    private final BmcAddress bmc;
    private final IpmiClient.Timing timing;
    private final Drops drops;
    // everything below is confined to the socket's loop thread
    private int consoleId;
    private int bmcId;
    /** The console's random number of RAKP 1, until the session is keyed. */
    private byte[] rm;
    private Rmcp.Keys keys;
    private final SequenceWindow authenticated = new SequenceWindow();
    private final SequenceWindow unauthenticated = new SequenceWindow();
    private int sequence;
    private int rqSeq;
    private int tag;
    private boolean heard;
    private boolean ended;
    private Exchange pending;
    private CompletableFuture<Void> ending;

    private RmcpSession(RmcpSocket socket, InetSocketAddress to, BmcAddress bmc, IpmiClient.Timing timing) {
        this.socket = socket;
        this.to = to;
        this.bmc = bmc;
        this.timing = timing;
        this.drops = new Drops(bmc.display());
    }

    /**
     * Opens a session with the privilege asked for, and waits for it. The password and the BMC key
     * are used for RAKP only: the session key comes from the BMC key (K_G) when there is one, else
     * from the password (IPMI v2.0, 13.31).
     *
     * @param bmcKey the BMC's K_G, or null when the BMC has none
     */
    static RmcpSession open(RmcpSocket socket, InetSocketAddress to, BmcAddress bmc, byte[] password, byte[] bmcKey,
                            IpmiClient.Privilege privilege, Rmcp.Suite suite, IpmiClient.Timing timing)
            throws BmcException, InterruptedException {
        return await(openAsync(socket, to, bmc, password, bmcKey, privilege, suite, timing));
    }

    /**
     * {@link #open}, without waiting: the future ends with the open session, or with the
     * {@link BmcException} that says why there is none (the session is then closed). The password
     * and key are copied at once and wiped once the session start is over.
     */
    static CompletableFuture<RmcpSession> openAsync(RmcpSocket socket, InetSocketAddress to, BmcAddress bmc, byte[] password,
                                                    byte[] bmcKey, IpmiClient.Privilege privilege, Rmcp.Suite suite,
                                                    IpmiClient.Timing timing) {
        RmcpSession s = new RmcpSession(socket, to, bmc, timing);
        byte[] pw = password == null ? new byte[0] : password.clone();
        byte[] kg = bmcKey == null ? null : bmcKey.clone();
        CompletableFuture<RmcpSession> opened = new CompletableFuture<>();
        socket.execute(() -> s.handshake(pw, kg, privilege, suite).whenComplete((v, e) -> {
            Arrays.fill(pw, (byte) 0);
            if (kg != null) Arrays.fill(kg, (byte) 0);
            if (e == null) {
                opened.complete(s);
            } else {
                s.end().whenComplete((x, y) -> opened.completeExceptionally(cause(e)));
            }
        }));
        return opened;
    }

    // ---- the session start, on the loop ----

    private CompletableFuture<Void> handshake(byte[] password, byte[] bmcKey, IpmiClient.Privilege privilege,
                                              Rmcp.Suite suite) {
        try {
            String who = "BMC " + bmc.display();
            if (password.length > BmcKeys.MAX_LENGTH) {
                throw new BmcException(BmcException.Kind.AUTHENTICATION, "the password for " + userText() + " on " + who
                        + " is longer than the 20 bytes IPMI v2.0 allows");
            }
            // no K_G (or one of zeros): the BMC keys the session with the password (13.31)
            byte[] kg = BmcKeys.effective(bmc, bmcKey);
            byte[] user = bmc.userName().getBytes(StandardCharsets.UTF_8);
            if (user.length > 16) throw new BmcException(BmcException.Kind.AUTHENTICATION, "user name '" + bmc.userName()
                    + "' is longer than the 16 bytes IPMI allows");
            consoleId = socket.register(RANDOM::nextInt, this);
            // open session request
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.write(0);
            o.write(privilege.code);
            o.write(0);
            o.write(0);
            Rmcp.le32(o, consoleId);
            o.writeBytes(new byte[] {0, 0, 0, 8, (byte) suite.authentication(), 0, 0, 0});
            o.writeBytes(new byte[] {1, 0, 0, 8, (byte) suite.integrity(), 0, 0, 0});
            o.writeBytes(new byte[] {2, 0, 0, 8, (byte) suite.confidentiality(), 0, 0, 0});
            CompletableFuture<Void> started = exchange(o.toByteArray(), Rmcp.OPEN_SESSION_REQUEST, Rmcp.OPEN_SESSION_RESPONSE,
                    "opening a session")
                    .thenCompose(open -> rakp1(open, user, privilege, suite))
                    .thenCompose(rakp2 -> rakp3(rakp2, password, kg, user, privilege, suite));
            if (privilege == IpmiClient.Privilege.USER) return started;
            return started.thenCompose(v -> request("raising the session to "
                    + privilege.name().toLowerCase(java.util.Locale.ROOT) + " privilege", 0x06, 0x3B,
                    new byte[] {(byte) privilege.code}, true)).thenApply(data -> null);
        } catch (BmcException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Checks the open session response; sends RAKP 1 and returns RAKP 2. */
    private CompletableFuture<byte[]> rakp1(byte[] open, byte[] user, IpmiClient.Privilege privilege, Rmcp.Suite suite) {
        try {
            status(open, "the session");
            if (open.length < 36) throw protocol("a short open session response");
            // the BMC says which algorithms it chose: anything but the suite asked for is refused now,
            // not found later as packets that fail their checks
            if (Rmcp.le32(open, 4) != consoleId || (open[16] & 0x3F) != suite.authentication()
                    || (open[24] & 0x3F) != suite.integrity() || (open[32] & 0x3F) != suite.confidentiality()) {
                throw new BmcException(BmcException.Kind.REFUSED, "BMC " + bmc.display() + " answered with other algorithms"
                        + " than those of cipher suite " + bmc.cipherSuite() + " (set cipher-suite: in the inventory's bmc entry)");
            }
            bmcId = Rmcp.le32(open, 8);
        } catch (BmcException e) {
            return CompletableFuture.failedFuture(e);
        }
        rm = new byte[16];
        RANDOM.nextBytes(rm);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {0, 0, 0, 0});
        Rmcp.le32(o, bmcId);
        o.writeBytes(rm);
        o.write(role(privilege));
        o.write(0);
        o.write(0);
        o.write(user.length);
        o.writeBytes(user);
        return exchange(o.toByteArray(), Rmcp.RAKP1, Rmcp.RAKP2, "authenticating");
    }

    private static int role(IpmiClient.Privilege privilege) { return 0x10 | privilege.code; }

    /** Checks RAKP 2 (the BMC knows the password), sends RAKP 3, checks RAKP 4 and keys the session. */
    private CompletableFuture<Void> rakp3(byte[] rakp2, byte[] password, byte[] bmcKey, byte[] user,
                                         IpmiClient.Privilege privilege, Rmcp.Suite suite) {
        String who = "BMC " + bmc.display();
        int role = role(privilege);
        byte[] sik;
        byte[] rakp3Code;
        byte[] guid;
        try {
            status(rakp2, "the user");
            if (rakp2.length < 40) throw protocol("a short RAKP 2");
            byte[] rc = Arrays.copyOfRange(rakp2, 8, 24);
            guid = Arrays.copyOfRange(rakp2, 24, 40);
            byte[] names = new byte[2 + user.length];
            names[0] = (byte) role;
            names[1] = (byte) user.length;
            System.arraycopy(user, 0, names, 2, user.length);
            String mac = suite.authMac();
            if (mac != null) {
                byte[] expected = RmcpCrypto.hmac(mac, password, le(consoleId), le(bmcId), rm, rc, guid, names);
                byte[] got = Arrays.copyOfRange(rakp2, 40, rakp2.length);
                if (!MessageDigest.isEqual(expected, got)) {
                    // RAKP 3 with "invalid integrity check value" frees the BMC's half-open session
                    abandon(0x0F);
                    throw new BmcException(BmcException.Kind.AUTHENTICATION, "wrong password for " + userText() + " on " + who
                            + " (the BMC's key exchange does not match it)");
                }
                heard = true;
                sik = RmcpCrypto.hmac(mac, bmcKey != null ? bmcKey : password, rm, rc, names);
                rakp3Code = RmcpCrypto.hmac(mac, password, rc, le(consoleId), names);
            } else {
                // suite 0 authenticates nothing: a reply that passed the checks there are is heard
                heard = true;
                sik = new byte[0];
                rakp3Code = new byte[0];
            }
        } catch (BmcException e) {
            return CompletableFuture.failedFuture(e);
        } catch (GeneralSecurityException e) {
            return CompletableFuture.failedFuture(missing(e));
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {0, 0, 0, 0});
        Rmcp.le32(o, bmcId);
        o.writeBytes(rakp3Code);
        boolean withBmcKey = bmcKey != null;
        return exchange(o.toByteArray(), Rmcp.RAKP3, Rmcp.RAKP4, "authenticating").<Void>thenApply(rakp4 -> {
            try {
                status(rakp4, "the password");
                if (suite.authMac() != null) {
                    if (rakp4.length < 8 + suite.rakp4Length()) throw protocol("a short RAKP 4");
                    byte[] icv = RmcpCrypto.hmac(suite.authMac(), sik, rm, le(bmcId), guid);
                    byte[] got = Arrays.copyOfRange(rakp4, 8, 8 + suite.rakp4Length());
                    if (!MessageDigest.isEqual(Arrays.copyOf(icv, suite.rakp4Length()), got)) {
                        throw rakp4Failed(who, withBmcKey);
                    }
                }
                keys = new Rmcp.Keys(suite, sik);
                sequence = 1;
                rm = null;
                return null;
            } catch (BmcException e) {
                throw new CompletionException(e);
            } catch (GeneralSecurityException e) {
                throw new CompletionException(missing(e));
            }
        }).whenComplete((done, failed) -> Arrays.fill(sik, (byte) 0)); // also when RAKP 4 never came
    }

    private static BmcException missing(GeneralSecurityException e) {
        return new BmcException(BmcException.Kind.FAILED, "the cipher suite's algorithms are missing from this Java: "
                + e.getMessage(), e);
    }

    /**
     * RAKP 4's check failed after RAKP 2 proved the password: the session keys differ, so the BMC
     * key (K_G) is what is wrong, the inventory's or its absence.
     */
    static BmcException rakp4Failed(String who, boolean withBmcKey) {
        return new BmcException(BmcException.Kind.AUTHENTICATION, who + " failed the session's integrity check (RAKP 4): "
                + (withBmcKey ? "the BMC key (K_G) the inventory gives (kg-file or kg-env) does not match the BMC's"
                : "the BMC seems to have a BMC key (K_G), which the inventory does not give (kg-file or kg-env in its"
                + " bmc entry)"));
    }

    private String userText() { return bmc.user() == null ? "the anonymous user" : "user '" + bmc.user() + "'"; }

    private static byte[] le(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    private BmcException protocol(String what) {
        return new BmcException(BmcException.Kind.FAILED, "BMC " + bmc.display() + " sent " + what);
    }

    /** The RMCP+ status code of a session-start reply (IPMI v2.0 table 13-15), as a message. */
    private void status(byte[] payload, String subject) throws BmcException {
        if (payload.length < 2) throw protocol("an empty reply");
        int code = payload[1] & 0xFF;
        if (code == 0) return;
        String who = "BMC " + bmc.display();
        throw switch (code) {
            case 0x0D, 0x0C -> new BmcException(BmcException.Kind.AUTHENTICATION, who + " does not know " + userText()
                    + " (check user: in the inventory's bmc entry)");
            case 0x0F -> new BmcException(BmcException.Kind.AUTHENTICATION, "wrong password for " + userText() + " on " + who
                    + " (the BMC rejected the key exchange)");
            case 0x09, 0x0A, 0x0B -> new BmcException(BmcException.Kind.REFUSED, who + " refused " + userText()
                    + " the privilege this command needs (RMCP+ status " + String.format("%02Xh)", code));
            case 0x04, 0x05, 0x06, 0x07, 0x10, 0x11 -> new BmcException(BmcException.Kind.REFUSED, who
                    + " does not offer cipher suite " + bmc.cipherSuite() + " (set cipher-suite: in the inventory's bmc entry)");
            case 0x01 -> new BmcException(BmcException.Kind.FAILED, who + " has no free session (too many open sessions);"
                    + " try again later");
            default -> new BmcException(BmcException.Kind.FAILED, who + " refused " + subject
                    + String.format(" (RMCP+ status %02Xh)", code));
        };
    }

    /** RAKP 3 with an error status: the BMC drops the session it began; nothing is waited for. */
    private void abandon(int status) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {(byte) tag, (byte) status, 0, 0});
        Rmcp.le32(o, bmcId);
        try {
            send(Rmcp.sessionless(Rmcp.RAKP3, o.toByteArray()));
        } catch (BmcException e) {
            // the BMC times its half-open session out by itself
        }
    }

    // ---- exchanges: one request in flight, its tries, its timer ----

    /** The one request of the session waiting for its answer, and how it is tried again. */
    private abstract class Exchange {
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        final int tries;
        final long waitNanos;
        int attempt;
        RmcpSocket.Timer timer;

        Exchange(int tries, long waitNanos) {
            this.tries = tries;
            this.waitNanos = waitNanos;
        }

        /** The packet of the next try: each has its own tag or session sequence number. */
        abstract byte[] packet() throws BmcException;

        /** A packet that passed the session's checks: true when it answers this request (and ends it). */
        abstract boolean offer(Rmcp.Received r);

        /** Why no answer came, once the tries are used up. */
        abstract BmcException silent();

        void start() {
            if (pending != null) {
                done.completeExceptionally(new BmcException(BmcException.Kind.FAILED, "BMC " + bmc.display()
                        + ": a request is still waiting for its answer"));
                return;
            }
            if (ended) {
                done.completeExceptionally(closedError());
                return;
            }
            pending = this;
            next();
        }

        private void next() {
            attempt++;
            try {
                send(packet());
            } catch (BmcException e) {
                fail(e);
                return;
            }
            timer = socket.schedule(waitNanos, this::expired);
        }

        private void expired() {
            if (pending != this) return;
            if (attempt < tries) next();
            else fail(silent());
        }

        void succeed(byte[] answer) {
            finish();
            done.complete(answer);
        }

        void fail(BmcException e) {
            finish();
            done.completeExceptionally(e);
        }

        private void finish() {
            if (timer != null) timer.cancel();
            if (pending == this) pending = null;
        }
    }

    /**
     * Sends a sessionless message until the reply of the type expected comes, within the tries.
     * Each try has its own message tag (the payload's first byte), so a late reply to an earlier try
     * is not taken for the answer to this one.
     */
    private CompletableFuture<byte[]> exchange(byte[] payload, int type, int replyType, String what) {
        Exchange x = new Exchange(timing.tries(), timing.perTry().toNanos()) {
            @Override
            byte[] packet() {
                tag = (tag + 1) & 0xFF;
                payload[0] = (byte) tag;
                return Rmcp.sessionless(type, payload);
            }

            @Override
            boolean offer(Rmcp.Received r) {
                if (r.sessionId() != 0) {
                    drop("a session packet before the session");
                    return false;
                }
                if (r.payloadType() != replyType || r.payload().length < 8 || (r.payload()[0] & 0xFF) != tag) return false;
                succeed(r.payload());
                return true;
            }

            @Override
            BmcException silent() { return RmcpSession.this.silent(what); }
        };
        x.start();
        return x.done;
    }

    /**
     * One IPMI request in the session; the future ends with the response data after the completion
     * code. A request that is not {@code repeatable} (a power cycle, a reset) is sent once. Any
     * thread may call it; the work happens on the loop.
     */
    CompletableFuture<byte[]> request(String what, int netFn, int command, byte[] data, boolean repeatable) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Runnable start = () -> {
            Exchange x = ipmiRequest(what, netFn, command, data, repeatable);
            x.start();
            x.done.whenComplete((v, e) -> {
                if (e == null) result.complete(v);
                else result.completeExceptionally(cause(e));
            });
        };
        if (socket.inLoop()) start.run();
        else socket.execute(start);
        return result;
    }

    private Exchange ipmiRequest(String what, int netFn, int command, byte[] data, boolean repeatable) {
        int tries = repeatable ? timing.tries() : 1;
        long wait = repeatable ? timing.perTry().toNanos() : timing.perTry().multipliedBy(timing.tries()).toNanos();
        int seq = rqSeq = (rqSeq + 1) & 0x3F;
        byte[] message = Rmcp.request(netFn, command, seq, data);
        return new Exchange(tries, wait) {
            @Override
            byte[] packet() throws BmcException {
                if (keys == null) throw closedError();
                try {
                    return Rmcp.session(Rmcp.PAYLOAD_IPMI, bmcId, sequence++, message, keys, RANDOM);
                } catch (GeneralSecurityException e) {
                    throw new BmcException(BmcException.Kind.FAILED, "cannot protect the request: " + e.getMessage(), e);
                }
            }

            @Override
            boolean offer(Rmcp.Received r) {
                Rmcp.Response resp = response(r);
                if (resp == null) return false;
                if (resp.rqSeq() != seq || resp.command() != command || resp.netFn() != netFn + 1) {
                    drop("a reply to another request");
                    return false;
                }
                if (resp.completion() != 0) fail(refused(what, netFn, command, resp.completion()));
                else succeed(resp.data());
                return true;
            }

            @Override
            BmcException silent() {
                return new BmcException(BmcException.Kind.STOPPED, "BMC " + bmc.display() + " stopped answering during the"
                        + " session (no answer to " + what + ", " + tries + (tries == 1 ? " try" : " tries") + drops.tail() + ")");
            }
        };
    }

    /** The IPMI response a session packet carries, or null (counted) when it carries none. */
    private Rmcp.Response response(Rmcp.Received r) {
        if (r.payloadType() != Rmcp.PAYLOAD_IPMI) {
            drop("not an IPMI message");
            return null;
        }
        try {
            return Rmcp.response(r.payload());
        } catch (BadPacket e) {
            drop(e.reason());
            return null;
        }
    }

    // ---- what arrives, on the loop ----

    /**
     * A datagram with this session's console ID: believed only from the BMC's address and port,
     * when the codec accepts it with the session's keys (none before the session has keys) and, in
     * the session, when it carries this session's ID and a sequence number new to its window.
     */
    @Override
    public void received(SocketAddress from, byte[] packet) {
        if (!to.equals(from)) {
            drop("from another address");
            return;
        }
        Rmcp.Received r;
        try {
            r = Rmcp.parse(packet, packet.length, keys);
        } catch (BadPacket e) {
            drop(e.reason());
            return;
        }
        if (keys != null) {
            if (r.sessionId() != consoleId) {
                drop(r.sessionId() == 0 ? "a session-less packet in the session" : "another session's ID");
                return;
            }
            if (!(r.authenticated() ? authenticated : unauthenticated).accept(r.sequence())) {
                drop("a replayed or out-of-window session sequence number");
                return;
            }
            // in suite 0 nothing authenticates: a packet that passed the checks there are is heard
            if (r.authenticated() || keys.suite.integrityLength() == 0) heard = true;
        }
        if (pending != null) {
            pending.offer(r);
        } else if (keys != null && response(r) != null) {
            drop("a reply to another request");
        }
    }

    @Override
    public void closed() {
        ended = true;
        if (pending != null) pending.fail(closedError());
    }

    private BmcException closedError() {
        return new BmcException(BmcException.Kind.FAILED, "the session with BMC " + bmc.display() + " is closed");
    }

    private void drop(String reason) { drops.add(reason); }

    /** Why packets were dropped, and how many for each reason. */
    Map<String, Integer> drops() {
        if (socket.inLoop()) return drops.counts();
        try {
            return socket.call(drops::counts).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (ExecutionException e) {
            return Map.of();
        }
    }

    private BmcException silent(String what) {
        if (heard) {
            return new BmcException(BmcException.Kind.STOPPED, "BMC " + bmc.display() + " stopped answering during the"
                    + " session (no answer to " + what + ", " + timing.tries() + " tries" + drops.tail() + ")");
        }
        return new BmcException(BmcException.Kind.UNREACHABLE, "BMC " + bmc.display() + " does not answer ("
                + timing.tries() + " tries, " + timing.perTry().toMillis() + " ms each" + drops.tail()
                + "): is it up, and is IPMI over LAN enabled on UDP port " + bmc.port() + "?");
    }

    private void send(byte[] packet) throws BmcException {
        try {
            socket.send(packet, to);
        } catch (IOException e) {
            throw new BmcException(BmcException.Kind.UNREACHABLE, "cannot send to BMC " + bmc.display() + ": " + e.getMessage(), e);
        }
    }

    private BmcException refused(String what, int netFnOf, int command, int code) {
        String who = "BMC " + bmc.display();
        // D4h: insufficient privilege; 80h-82h: Set Session Privilege Level's "not available" codes
        if (code == 0xD4 || command == 0x3B && netFnOf == 0x06 && code >= 0x80 && code <= 0x82) {
            return new BmcException(BmcException.Kind.AUTHENTICATION, who + " refused " + what + ": " + userText()
                    + " lacks the privilege (see the user's privilege at the BMC)");
        }
        return new BmcException(BmcException.Kind.FAILED, who + " refused " + what + ": " + completion(code)
                + String.format(" (completion code %02Xh)", code));
    }

    static String completion(int code) {
        return switch (code) {
            case 0xC0 -> "the BMC is busy";
            case 0xC1 -> "it does not know the command";
            case 0xC3 -> "it timed out";
            case 0xC7, 0xC8 -> "the request's length is wrong for it";
            case 0xC9, 0xCC -> "it does not accept a value of the request";
            case 0xCE -> "it cannot answer now";
            case 0xD5 -> "the machine is not in a state where it can be done";
            case 0xD6 -> "it is disabled";
            default -> "an error";
        };
    }

    // ---- waiting, for callers that go one step at a time ----

    /**
     * One IPMI request, waited for; returns the response data after the completion code. A request
     * that is not {@code repeatable} (a power cycle, a reset) is sent once.
     */
    byte[] call(String what, int netFn, int command, byte[] data, boolean repeatable) throws BmcException, InterruptedException {
        return await(request(what, netFn, command, data, repeatable));
    }

    /** The future's value; its BmcException as itself. The future always ends: every wait is bounded by a timer. */
    static <T> T await(CompletableFuture<T> f) throws BmcException, InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = cause(e);
            if (c instanceof BmcException b) throw b;
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        }
    }

    static Throwable cause(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) e = e.getCause();
        return e;
    }

    // ---- the end ----

    /**
     * Ends the session without waiting: Close Session once, its answer awaited for at most half a
     * second (a BMC that is gone times the session out on its side), then the session's ID is freed
     * and its keys wiped, and the loop's HMAC and AES instances forget what they derived from them.
     * The future never fails.
     */
    @Override
    public CompletableFuture<Void> end() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        Runnable start = () -> {
            if (ending == null) {
                ending = new CompletableFuture<>();
                closeAtBmc();
            }
            ending.whenComplete((v, e) -> result.complete(null));
        };
        if (socket.inLoop()) start.run();
        else socket.execute(start);
        return result;
    }

    private void closeAtBmc() {
        if (pending != null) pending.fail(closedError());
        if (keys == null || ended) {
            release();
            return;
        }
        Exchange x = ipmiRequest("closing the session", 0x06, 0x3C, le(bmcId), true);
        Exchange once = new Exchange(1, Math.min(timing.perTry().toNanos(), CLOSE_WAIT_NANOS)) {
            @Override
            byte[] packet() throws BmcException { return x.packet(); }

            @Override
            boolean offer(Rmcp.Received r) {
                // any answer in the session will do: the BMC has heard the close
                if (r.payloadType() != Rmcp.PAYLOAD_IPMI) return false;
                succeed(r.payload());
                return true;
            }

            @Override
            BmcException silent() { return closedError(); }
        };
        once.start();
        once.done.whenComplete((v, e) -> release());
    }

    private void release() {
        ended = true;
        if (consoleId != 0) socket.unregister(consoleId);
        if (keys != null) keys.clear();
        // the loop's HMAC and AES instances still hold what they derived from K1 and K2
        RmcpCrypto.forget();
        ending.complete(null);
    }

    /** Ends the session (see {@link #end}) and waits for it; never fails. */
    @Override
    public void close() {
        CompletableFuture<Void> f = end();
        if (socket.inLoop()) return;
        try {
            f.get(timing.perTry().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the BMC ends an unclosed session by its own timeout
        }
    }

    /** The session's keys, for tests: cleared once it is closed. */
    Rmcp.Keys keys() {
        if (socket.inLoop()) return keys;
        try {
            return socket.call(() -> keys).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
