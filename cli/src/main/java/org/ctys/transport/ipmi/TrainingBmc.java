package org.ctys.transport.ipmi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A BMC that lives only while {@code bin/ctys} makes its class-data archive: the launcher starts
 * it ({@code java -cp ctys.jar org.ctys.transport.ipmi.TrainingBmc DIR}), runs one power status
 * against it and stops it, so that the archive holds what a real RMCP+ session loads (the session,
 * HMAC and AES classes, the lambda forms of its records); without it a first power status loaded
 * and verified them from the jar. It is no part of the ctys command.
 *
 * <p>It listens on 127.0.0.1 only, on a port the kernel picks, and writes that port to
 * {@code DIR/port} once it answers; its one user is {@link #USER}, with a random password it
 * writes to {@code DIR/password} (mode 0600) before. Cipher suite 3 only (RAKP-HMAC-SHA1,
 * HMAC-SHA1-96, AES-CBC-128), RAKP 3 checked as a BMC checks it; in the session it answers Get
 * Chassis Status (powered on), Set Session Privilege Level and Close Session, anything else with
 * completion code C1h (invalid command). One session at a time. It ends when the process that
 * started it ends, and after {@link #LIFETIME_MS} at the latest.
 */
public final class TrainingBmc implements AutoCloseable {
    public static final String USER = "training";
    static final long LIFETIME_MS = 10 * 60_000L;
    private static final Rmcp.Suite SUITE = new Rmcp.Suite(3, 1, 1, 1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DatagramChannel channel;
    private final byte[] password;
    private final byte[] guid = new byte[16];
    private final int bmcId = RANDOM.nextInt() | 1;

    // the one session being opened or open
    private int consoleId;
    private byte[] rm;
    private final byte[] rc = new byte[16];
    private byte[] names;
    private Rmcp.Keys keys;
    private SequenceWindow window;
    private int sequence;

    private TrainingBmc(byte[] password) throws IOException {
        this.password = password;
        RANDOM.nextBytes(guid);
        // an IPv4 socket: one of IPv6 bound to ::ffff:127.0.0.1 would be the same, but less plainly so
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
    }

    /** A responder on 127.0.0.1 with the given password; {@link #serve()} answers. */
    static TrainingBmc open(byte[] password) throws IOException { return new TrainingBmc(password.clone()); }

    /** Where it listens: 127.0.0.1 and the port the kernel gave it. */
    InetSocketAddress address() throws IOException { return (InetSocketAddress) channel.getLocalAddress(); }

    /** DIR: the directory for {@code port} and {@code password}, which must exist and be the caller's own. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -cp ctys.jar " + TrainingBmc.class.getName() + " DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        // 16 random hex digits: printable, within IPMI's 20 bytes
        String secret = HexFormat.of().formatHex(randomBytes(8));
        Path pw = dir.resolve("password");
        Files.writeString(Files.createFile(pw, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                secret + "\n");
        try (TrainingBmc bmc = open(secret.getBytes(StandardCharsets.US_ASCII))) {
            Path tmp = dir.resolve("port.tmp");
            Files.writeString(tmp, bmc.address().getPort() + "\n");
            Files.move(tmp, dir.resolve("port"), StandardCopyOption.ATOMIC_MOVE);
            Thread watch = new Thread(() -> endWithParent(bmc), "training-bmc-parent");
            watch.setDaemon(true);
            watch.start();
            bmc.serve();
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Closes the responder when the launcher that started it is gone, or at the end of its lifetime. */
    private static void endWithParent(TrainingBmc bmc) {
        long end = System.currentTimeMillis() + LIFETIME_MS;
        java.util.Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        try {
            while (System.currentTimeMillis() < end && parent.map(ProcessHandle::isAlive).orElse(false)) Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        bmc.close();
    }

    /** Answers until closed. A packet it cannot read or check is ignored, as a BMC ignores it. */
    void serve() {
        ByteBuffer buf = ByteBuffer.allocate(Rmcp.MAX_PACKET);
        while (channel.isOpen()) {
            try {
                buf.clear();
                SocketAddress from = channel.receive(buf);
                if (from == null) continue;
                byte[] reply = answer(Arrays.copyOf(buf.array(), buf.position()));
                if (reply != null) channel.send(ByteBuffer.wrap(reply), from);
            } catch (IOException e) {
                if (!channel.isOpen()) return;
            } catch (BadPacket | GeneralSecurityException | RuntimeException e) {
                // not a packet of this session: dropped
            }
        }
    }

    /** The reply to one packet, or null for none. */
    byte[] answer(byte[] p) throws BadPacket, GeneralSecurityException {
        Rmcp.Received r = Rmcp.parse(p, p.length, keys);
        byte[] q = r.payload();
        if (r.sessionId() == 0) {
            return switch (r.payloadType()) {
                case Rmcp.OPEN_SESSION_REQUEST -> openSession(q);
                case Rmcp.RAKP1 -> rakp1(q);
                case Rmcp.RAKP3 -> rakp3(q);
                default -> null;
            };
        }
        if (keys == null || r.sessionId() != bmcId || !r.authenticated() || r.payloadType() != Rmcp.PAYLOAD_IPMI
                || !window.accept(r.sequence())) {
            return null;
        }
        return request(q);
    }

    private byte[] openSession(byte[] q) {
        if (q.length < 32) return null;
        // suite 3's algorithms, or "no matching cipher suite" (RMCP+ status 11h)
        // the algorithms asked for are at 12, 20 and 28 (IPMI v2.0 table 13-16)
        boolean suite3 = (q[12] & 0x3F) == SUITE.authentication() && (q[20] & 0x3F) == SUITE.integrity()
                && (q[28] & 0x3F) == SUITE.confidentiality();
        keys = null;
        consoleId = Rmcp.le32(q, 4);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {q[0], (byte) (suite3 ? 0 : 0x11), q[1], 0});
        Rmcp.le32(o, consoleId);
        if (suite3) {
            Rmcp.le32(o, bmcId);
            o.write(q, 8, 24);
        }
        return Rmcp.sessionless(Rmcp.OPEN_SESSION_RESPONSE, o.toByteArray());
    }

    private byte[] rakp1(byte[] q) throws GeneralSecurityException {
        if (q.length < 28 || Rmcp.le32(q, 4) != bmcId) return null;
        int length = q[27] & 0xFF;
        if (q.length < 28 + length) return null;
        byte[] user = Arrays.copyOfRange(q, 28, 28 + length);
        if (!Arrays.equals(user, USER.getBytes(StandardCharsets.US_ASCII))) {
            // unauthorized name (RMCP+ status 0Dh)
            return Rmcp.sessionless(Rmcp.RAKP2, rakpHeader(q[0], 0x0D));
        }
        rm = Arrays.copyOfRange(q, 8, 24);
        RANDOM.nextBytes(rc);
        names = new byte[2 + length];
        names[0] = q[24];
        names[1] = (byte) length;
        System.arraycopy(user, 0, names, 2, length);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(rakpHeader(q[0], 0));
        o.writeBytes(rc);
        o.writeBytes(guid);
        o.writeBytes(RmcpCrypto.hmac(SUITE.authMac(), password, le(consoleId), le(bmcId), rm, rc, guid, names));
        return Rmcp.sessionless(Rmcp.RAKP2, o.toByteArray());
    }

    private byte[] rakp3(byte[] q) throws GeneralSecurityException {
        if (q.length < 8 || Rmcp.le32(q, 4) != bmcId || names == null) return null;
        byte[] expected = RmcpCrypto.hmac(SUITE.authMac(), password, rc, le(consoleId), names);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(q, 8, q.length))) {
            // invalid integrity check value (RMCP+ status 0Fh)
            return Rmcp.sessionless(Rmcp.RAKP4, rakpHeader(q[0], 0x0F));
        }
        byte[] sik = RmcpCrypto.hmac(SUITE.authMac(), password, rm, rc, names);
        keys = new Rmcp.Keys(SUITE, sik);
        window = new SequenceWindow();
        sequence = 1;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(rakpHeader(q[0], 0));
        o.write(RmcpCrypto.hmac(SUITE.authMac(), sik, rm, le(bmcId), guid), 0, SUITE.rakp4Length());
        Arrays.fill(sik, (byte) 0);
        return Rmcp.sessionless(Rmcp.RAKP4, o.toByteArray());
    }

    private byte[] rakpHeader(byte tag, int status) {
        byte[] h = new byte[8];
        h[0] = tag;
        h[1] = (byte) status;
        System.arraycopy(le(consoleId), 0, h, 4, 4);
        return h;
    }

    private byte[] request(byte[] m) throws BadPacket, GeneralSecurityException {
        // responder, netFn, checksum, requester, rqSeq, command, data..., checksum
        if (m.length < 7) throw new BadPacket("short IPMI request");
        int netFn = (m[1] & 0xFF) >>> 2;
        int command = m[5] & 0xFF;
        byte[] data;
        boolean close = false;
        if (netFn == 0x00 && command == 0x01) {
            data = new byte[] {0, 0x01, 0, 0}; // completion 0; power on; no last event; no misc state
        } else if (netFn == 0x06 && command == 0x3B && m.length >= 8) {
            data = new byte[] {0, (byte) (m[6] & 0x0F)};
        } else if (netFn == 0x06 && command == 0x3C) {
            data = new byte[] {0};
            close = true;
        } else {
            data = new byte[] {(byte) 0xC1};
        }
        byte[] reply = new byte[7 + data.length];
        reply[0] = (byte) Rmcp.CONSOLE_ADDRESS;
        reply[1] = (byte) ((netFn + 1) << 2);
        reply[2] = checksum(reply, 0, 2);
        reply[3] = (byte) Rmcp.BMC_ADDRESS;
        reply[4] = m[4];
        reply[5] = (byte) command;
        System.arraycopy(data, 0, reply, 6, data.length);
        reply[reply.length - 1] = checksum(reply, 3, reply.length - 1);
        byte[] packet = Rmcp.session(Rmcp.PAYLOAD_IPMI, consoleId, sequence++, reply, keys, RANDOM);
        if (close) {
            keys.clear();
            keys = null;
            names = null;
        }
        return packet;
    }

    private static byte checksum(byte[] m, int from, int to) {
        int sum = 0;
        for (int i = from; i < to; i++) sum += m[i];
        return (byte) -sum;
    }

    private static byte[] le(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // the process ends anyway
        }
    }
}
