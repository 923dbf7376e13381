package org.ctys.transport.ipmi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One RMCP+ session with one BMC, spoken directly over the shared {@link RmcpSocket}: open session,
 * RAKP 1 to 4 (HMAC-SHA1 or HMAC-SHA256), then IPMI requests, integrity-protected and AES-encrypted
 * as the cipher suite says. Every request is bounded and tried again a bounded number of times; a
 * waiting session holds no thread but the caller's.
 *
 * <p>A packet from the BMC is believed only when the codec accepts it ({@link Rmcp#parse}), it
 * carries this session's ID, and its session sequence number is new to the {@link SequenceWindow}
 * of its kind; a reply must also match the request's sequence, command and function. Anything
 * else is dropped and counted by reason (logged at debug), and the count is part of the message
 * when the BMC seems to stop answering. The BMC counts as heard from only once a packet of it has
 * authenticated: RAKP 2's key exchange code, or a session packet's integrity code.
 */
final class RmcpSession implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The longest key IPMI v2.0 has for a user password or a BMC key (K_G). */

    private final RmcpSocket socket;
    private final InetSocketAddress to;
    private final BmcAddress bmc;
    private final IpmiClient.Timing timing;
    private final int consoleId;
    private final BlockingQueue<RmcpSocket.Datagram> inbox;
    private int bmcId;
    private Rmcp.Keys keys;
    private final SequenceWindow authenticated = new SequenceWindow();
    private final SequenceWindow unauthenticated = new SequenceWindow();
    private final Drops drops;
    private int sequence;
    private int rqSeq;
    private int tag;
    private boolean heard;
    private boolean closed;

    private RmcpSession(RmcpSocket socket, InetSocketAddress to, BmcAddress bmc, IpmiClient.Timing timing) {
        this.socket = socket;
        this.to = to;
        this.bmc = bmc;
        this.timing = timing;
        this.drops = new Drops(bmc.display());
        int id;
        BlockingQueue<RmcpSocket.Datagram> q;
        do {
            id = RANDOM.nextInt();
            q = id == 0 ? null : socket.register(id);
        } while (q == null);
        this.consoleId = id;
        this.inbox = q;
    }

    /**
     * Opens a session with the privilege asked for. The password and the BMC key are used for RAKP
     * only: the session key comes from the BMC key (K_G) when there is one, else from the password
     * (IPMI v2.0, 13.31).
     *
     * @param bmcKey the BMC's K_G, or null when the BMC has none
     */
    static RmcpSession open(RmcpSocket socket, InetSocketAddress to, BmcAddress bmc, byte[] password, byte[] bmcKey,
                            IpmiClient.Privilege privilege, Rmcp.Suite suite, IpmiClient.Timing timing)
            throws BmcException, InterruptedException {
        RmcpSession s = new RmcpSession(socket, to, bmc, timing);
        try {
            s.handshake(password == null ? new byte[0] : password, bmcKey, privilege, suite);
            if (privilege != IpmiClient.Privilege.USER) {
                s.call("raising the session to " + privilege.name().toLowerCase(java.util.Locale.ROOT) + " privilege",
                        0x06, 0x3B, new byte[] {(byte) privilege.code}, true);
            }
            return s;
        } catch (BmcException | InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void handshake(byte[] password, byte[] bmcKey, IpmiClient.Privilege privilege, Rmcp.Suite suite)
            throws BmcException, InterruptedException {
        String who = "BMC " + bmc.display();
        if (password.length > BmcKeys.MAX_LENGTH) {
            throw new BmcException(BmcException.Kind.AUTHENTICATION, "the password for " + userText() + " on " + who
                    + " is longer than the 20 bytes IPMI v2.0 allows");
        }
        // no K_G (or one of zeros): the BMC keys the session with the password (13.31)
        bmcKey = BmcKeys.effective(bmc, bmcKey);
        byte[] user = bmc.userName().getBytes(StandardCharsets.UTF_8);
        if (user.length > 16) throw new BmcException(BmcException.Kind.AUTHENTICATION, "user name '" + bmc.userName()
                + "' is longer than the 16 bytes IPMI allows");
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
        byte[] open = exchange(o.toByteArray(), Rmcp.OPEN_SESSION_REQUEST, Rmcp.OPEN_SESSION_RESPONSE, "opening a session");
        status(open, "the session");
        if (open.length < 36) throw protocol("a short open session response");
        // the BMC says which algorithms it chose: anything but the suite asked for is refused now,
        // not found later as packets that fail their checks
        if (Rmcp.le32(open, 4) != consoleId || (open[16] & 0x3F) != suite.authentication()
                || (open[24] & 0x3F) != suite.integrity() || (open[32] & 0x3F) != suite.confidentiality()) {
            throw new BmcException(BmcException.Kind.REFUSED, who + " answered with other algorithms than those of"
                    + " cipher suite " + bmc.cipherSuite() + " (set cipher-suite: in the inventory's bmc entry)");
        }
        bmcId = Rmcp.le32(open, 8);

        // RAKP 1 and 2
        byte[] rm = new byte[16];
        RANDOM.nextBytes(rm);
        int role = 0x10 | privilege.code;
        o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {0, 0, 0, 0});
        Rmcp.le32(o, bmcId);
        o.writeBytes(rm);
        o.write(role);
        o.write(0);
        o.write(0);
        o.write(user.length);
        o.writeBytes(user);
        byte[] rakp2 = exchange(o.toByteArray(), Rmcp.RAKP1, Rmcp.RAKP2, "authenticating");
        status(rakp2, "the user");
        if (rakp2.length < 40) throw protocol("a short RAKP 2");
        byte[] rc = Arrays.copyOfRange(rakp2, 8, 24);
        byte[] guid = Arrays.copyOfRange(rakp2, 24, 40);
        byte[] names = new byte[2 + user.length];
        names[0] = (byte) role;
        names[1] = (byte) user.length;
        System.arraycopy(user, 0, names, 2, user.length);
        byte[] sik;
        byte[] rakp3Code;
        try {
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
        } catch (GeneralSecurityException e) {
            throw new BmcException(BmcException.Kind.FAILED, "the cipher suite's algorithms are missing from this Java: "
                    + e.getMessage(), e);
        }

        // RAKP 3 and 4
        o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {0, 0, 0, 0});
        Rmcp.le32(o, bmcId);
        o.writeBytes(rakp3Code);
        byte[] rakp4 = exchange(o.toByteArray(), Rmcp.RAKP3, Rmcp.RAKP4, "authenticating");
        status(rakp4, "the password");
        try {
            if (suite.authMac() != null) {
                if (rakp4.length < 8 + suite.rakp4Length()) throw protocol("a short RAKP 4");
                byte[] icv = RmcpCrypto.hmac(suite.authMac(), sik, rm, le(bmcId), guid);
                byte[] got = Arrays.copyOfRange(rakp4, 8, 8 + suite.rakp4Length());
                if (!MessageDigest.isEqual(Arrays.copyOf(icv, suite.rakp4Length()), got)) {
                    throw rakp4Failed(who, bmcKey != null);
                }
            }
            keys = new Rmcp.Keys(suite, sik);
        } catch (GeneralSecurityException e) {
            throw new BmcException(BmcException.Kind.FAILED, "the cipher suite's algorithms are missing from this Java: "
                    + e.getMessage(), e);
        } finally {
            Arrays.fill(sik, (byte) 0);
        }
        sequence = 1;
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

    /**
     * Sends a sessionless message until the reply of the type expected comes, within the tries.
     * Each try has its own message tag (the payload's first byte), so a late reply to an earlier try
     * is not taken for the answer to this one.
     */
    private byte[] exchange(byte[] payload, int type, int replyType, String what) throws BmcException, InterruptedException {
        for (int attempt = 1; attempt <= timing.tries(); attempt++) {
            tag = (tag + 1) & 0xFF;
            payload[0] = (byte) tag;
            send(Rmcp.sessionless(type, payload));
            long end = System.nanoTime() + timing.perTry().toNanos();
            for (Rmcp.Received r; (r = next(end, null)) != null; ) {
                if (r.sessionId() != 0) {
                    drop("a session packet before the session");
                } else if (r.payloadType() == replyType && r.payload().length >= 8 && (r.payload()[0] & 0xFF) == tag) {
                    return r.payload();
                }
            }
        }
        throw silent(what);
    }

    /**
     * The next packet from this session's BMC (its address and port) that passes the codec's checks
     * with {@code keys} (none before the session has keys) and, in the session, carries this
     * session's ID and a sequence number new to its window; null when {@code end} comes first.
     */
    private Rmcp.Received next(long end, Rmcp.Keys keys) throws InterruptedException {
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) return null;
            RmcpSocket.Datagram d = inbox.poll(left, TimeUnit.NANOSECONDS);
            if (d == null) return null;
            if (!to.equals(d.from())) {
                drop("from another address");
                continue;
            }
            Rmcp.Received r;
            try {
                r = Rmcp.parse(d.data(), d.data().length, keys);
            } catch (BadPacket e) {
                drop(e.reason());
                continue;
            }
            if (keys == null) return r;
            if (r.sessionId() != consoleId) {
                drop(r.sessionId() == 0 ? "a session-less packet in the session" : "another session's ID");
            } else if (!(r.authenticated() ? authenticated : unauthenticated).accept(r.sequence())) {
                drop("a replayed or out-of-window session sequence number");
            } else {
                // in suite 0 nothing authenticates: a packet that passed the checks there are is heard
                if (r.authenticated() || keys.suite.integrityLength() == 0) heard = true;
                return r;
            }
        }
    }

    private void drop(String reason) { drops.add(reason); }

    /** Why packets were dropped, and how many for each reason. */
    Map<String, Integer> drops() { return drops.counts(); }

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

    /**
     * One IPMI request in the session; returns the response data after the completion code. A
     * request that is not {@code repeatable} (a power cycle, a reset) is sent once.
     */
    byte[] call(String what, int netFn, int command, byte[] data, boolean repeatable) throws BmcException, InterruptedException {
        if (closed) throw new BmcException(BmcException.Kind.FAILED, "the session with BMC " + bmc.display() + " is closed");
        rqSeq = (rqSeq + 1) & 0x3F;
        byte[] message = Rmcp.request(netFn, command, rqSeq, data);
        int tries = repeatable ? timing.tries() : 1;
        Duration wait = repeatable ? timing.perTry() : timing.perTry().multipliedBy(timing.tries());
        for (int attempt = 1; attempt <= tries; attempt++) {
            byte[] packet;
            try {
                packet = Rmcp.session(Rmcp.PAYLOAD_IPMI, bmcId, sequence++, message, keys, RANDOM);
            } catch (GeneralSecurityException e) {
                throw new BmcException(BmcException.Kind.FAILED, "cannot protect the request: " + e.getMessage(), e);
            }
            send(packet);
            long end = System.nanoTime() + wait.toNanos();
            for (Rmcp.Received r; (r = next(end, keys)) != null; ) {
                if (r.payloadType() != Rmcp.PAYLOAD_IPMI) {
                    drop("not an IPMI message");
                    continue;
                }
                Rmcp.Response resp;
                try {
                    resp = Rmcp.response(r.payload());
                } catch (BadPacket e) {
                    drop(e.reason());
                    continue;
                }
                if (resp.rqSeq() != rqSeq || resp.command() != command || resp.netFn() != netFn + 1) {
                    drop("a reply to another request");
                    continue;
                }
                if (resp.completion() != 0) throw refused(what, netFn, command, resp.completion());
                return resp.data();
            }
        }
        throw new BmcException(BmcException.Kind.STOPPED, "BMC " + bmc.display() + " stopped answering during the session"
                + " (no answer to " + what + ", " + tries + (tries == 1 ? " try" : " tries") + drops.tail() + ")");
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

    @Override
    public void close() {
        if (closed) return;
        if (keys != null) {
            try {
                // one try, bounded: a BMC that is gone times the session out on its side
                rqSeq = (rqSeq + 1) & 0x3F;
                send(Rmcp.session(Rmcp.PAYLOAD_IPMI, bmcId, sequence++, Rmcp.request(0x06, 0x3C, rqSeq, le(bmcId)), keys, RANDOM));
                long end = System.nanoTime() + Math.min(timing.perTry().toNanos(), 500_000_000L);
                for (Rmcp.Received r; (r = next(end, keys)) != null; ) {
                    if (r.payloadType() == Rmcp.PAYLOAD_IPMI) break;
                }
            } catch (BmcException | GeneralSecurityException e) {
                // the BMC ends an unclosed session by its own timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closed = true;
        socket.unregister(consoleId);
        if (keys != null) keys.clear();
        // this thread's HMAC and AES instances still hold what they derived from K1 and K2
        RmcpCrypto.forget();
    }

    /** The session's keys, for tests: cleared once it is closed. */
    Rmcp.Keys keys() { return keys; }
}
