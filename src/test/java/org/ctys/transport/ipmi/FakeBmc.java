package org.ctys.transport.ipmi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The BMC side of RMCP+ on 127.0.0.1, written from IPMI v2.0 (13.17 to 13.31) with the JCE alone,
 * not with ctys's codec, for tests that need a BMC to misbehave in ways ipmi_sim never does:
 * replay an earlier reply, send a reply whose integrity pad, next header or checksums are wrong
 * though its integrity code is right, or answer with junk. Cipher suite 3 (RAKP-HMAC-SHA1,
 * HMAC-SHA1-96, AES-CBC-128) or 17 (the same with SHA-256), one user, optionally a BMC key (K_G).
 *
 * <p>Each IPMI request in the session goes to the test's {@link Script}, which sends what it
 * likes with {@link #reply} and {@link #send}; every session packet sent is kept in {@link #sent()}.
 */
final class FakeBmc implements AutoCloseable {

    /** One IPMI request of the session, as the BMC read it. */
    record Request(int rqSeq, int netFn, int command, byte[] data, SocketAddress from) {
    }

    /** What the BMC does with a request. */
    interface Script {
        void answer(FakeBmc bmc, Request request) throws IOException;
    }

    /** Ways a reply can be wrong while its integrity code is right (the BMC has the keys). */
    enum Flaw { NONE, PAD_BYTE, PAD_LENGTH, NEXT_HEADER, HEADER_CHECKSUM, DATA_CHECKSUM, CONFIDENTIALITY_PAD, SESSION_ID }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DatagramSocket socket;
    private final Thread thread;
    private final byte[] user;
    private final byte[] password;
    private final byte[] bmcKey;
    private final boolean sha256;
    private final Script script;
    private final byte[] guid = new byte[16];
    private final List<byte[]> sent = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean junkOnly;

    private int tag;
    private int consoleId;
    private final int bmcId = 0x0BADCAFE;
    private byte[] rm;
    private final byte[] rc = new byte[16];
    private int role;
    private byte[] k1;
    private byte[] k2;
    private int sequence = 1;

    /**
     * @param suite  3 or 17
     * @param bmcKey K_G, or null: the session keys then come from the password
     */
    FakeBmc(String user, String password, byte[] bmcKey, int suite, Script script) throws SocketException {
        if (suite != 3 && suite != 17) throw new IllegalArgumentException("suite 3 or 17");
        this.user = user.getBytes(StandardCharsets.UTF_8);
        this.password = password.getBytes(StandardCharsets.UTF_8);
        this.bmcKey = bmcKey;
        this.sha256 = suite == 17;
        this.script = script;
        RANDOM.nextBytes(guid);
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "fake-bmc-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    int port() { return socket.getLocalPort(); }

    /** Session packets sent so far, in order, as they went on the wire. */
    List<byte[]> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    /** From now on every datagram is answered with junk addressed to the console's session. */
    void answerWithJunk() { junkOnly = true; }

    private void serve() {
        byte[] buf = new byte[2048];
        while (!socket.isClosed()) {
            DatagramPacket d = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(d);
                byte[] p = Arrays.copyOf(d.getData(), d.getLength());
                if (junkOnly) {
                    junk(p, d.getSocketAddress());
                } else {
                    handle(p, d.getSocketAddress());
                }
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                if (socket.isClosed()) return;
                // a fake BMC that cannot read a packet ignores it, as a real one does
            }
        }
    }

    private void handle(byte[] p, SocketAddress from) throws IOException, GeneralSecurityException {
        int type = p[5] & 0x3F;
        byte[] payload = Arrays.copyOfRange(p, 16, 16 + u16(p, 14));
        switch (type) {
            case 0x10 -> openSession(payload, from);
            case 0x12 -> rakp1(payload, from);
            case 0x14 -> rakp3(payload, from);
            case 0x00 -> request(p, payload, from);
            default -> { }
        }
    }

    private void openSession(byte[] q, SocketAddress from) throws IOException {
        tag = q[0] & 0xFF;
        consoleId = le32(q, 4);
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        r.writeBytes(new byte[] {(byte) tag, 0, 4, 0});
        le32(r, consoleId);
        le32(r, bmcId);
        r.write(q, 8, 24); // the algorithms asked for
        send(sessionless(0x11, r.toByteArray()), from);
    }

    private void rakp1(byte[] q, SocketAddress from) throws IOException, GeneralSecurityException {
        rm = Arrays.copyOfRange(q, 8, 24);
        role = q[24] & 0xFF;
        int ulen = q[27] & 0xFF;
        if (!Arrays.equals(Arrays.copyOfRange(q, 28, 28 + ulen), user)) {
            send(sessionless(0x13, new byte[] {q[0], 0x0D, 0, 0, 0, 0, 0, 0}), from);
            return;
        }
        RANDOM.nextBytes(rc);
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        r.writeBytes(new byte[] {q[0], 0, 0, 0});
        le32(r, consoleId);
        r.writeBytes(rc);
        r.writeBytes(guid);
        r.writeBytes(hmac(password, le(consoleId), le(bmcId), rm, rc, guid, names()));
        send(sessionless(0x13, r.toByteArray()), from);
    }

    private void rakp3(byte[] q, SocketAddress from) throws IOException, GeneralSecurityException {
        byte[] sik = hmac(bmcKey != null ? bmcKey : password, rm, rc, names());
        k1 = hmac(sik, filled(0x01));
        k2 = hmac(sik, filled(0x02));
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        r.writeBytes(new byte[] {q[0], 0, 0, 0});
        le32(r, consoleId);
        r.writeBytes(Arrays.copyOf(hmac(sik, rm, le(bmcId), guid), integrityLength()));
        send(sessionless(0x15, r.toByteArray()), from);
    }

    private void request(byte[] p, byte[] payload, SocketAddress from) throws IOException, GeneralSecurityException {
        if (k1 == null || le32(p, 6) != bmcId) return;
        byte[] m = decrypt(payload);
        Request request = new Request((m[4] & 0xFF) >>> 2, (m[1] & 0xFF) >>> 2, m[5] & 0xFF,
                Arrays.copyOfRange(m, 6, m.length - 1), from);
        script.answer(this, request);
    }

    /** A well-formed reply to {@code q}, numbered with the BMC's next session sequence number. */
    byte[] reply(Request q, int completion, byte... data) throws IOException {
        return reply(q, Flaw.NONE, completion, data);
    }

    /** A reply to {@code q} with a flaw its (right) integrity code covers. */
    byte[] reply(Request q, Flaw flaw, int completion, byte... data) throws IOException {
        byte[] m = new byte[8 + data.length];
        m[0] = (byte) 0x81;
        m[1] = (byte) ((q.netFn() + 1) << 2);
        m[2] = checksum(m, 0, 2);
        m[3] = 0x20;
        m[4] = (byte) (q.rqSeq() << 2);
        m[5] = (byte) q.command();
        m[6] = (byte) completion;
        System.arraycopy(data, 0, m, 7, data.length);
        m[m.length - 1] = checksum(m, 3, m.length - 1);
        if (flaw == Flaw.HEADER_CHECKSUM) m[2]++;
        if (flaw == Flaw.DATA_CHECKSUM) m[m.length - 1]++;
        try {
            return sessionPacket(m, flaw);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** Sends a packet; session packets are kept in {@link #sent()}. */
    void send(byte[] packet, SocketAddress to) throws IOException {
        if (le32(packet, 6) != 0) sent.add(packet);
        socket.send(new DatagramPacket(packet, packet.length, to));
    }

    private void junk(byte[] p, SocketAddress from) throws IOException {
        // addressed to the console's session (its ID is in the open session request), so it is
        // routed to the session's inbox, and claims an integrity code it cannot have
        int console = (p[5] & 0x3F) == 0x10 ? le32(p, 16 + 4) : consoleId;
        consoleId = console;
        byte[] j = new byte[48];
        RANDOM.nextBytes(j);
        System.arraycopy(new byte[] {0x06, 0x00, (byte) 0xFF, 0x07, 0x06, (byte) 0xC0}, 0, j, 0, 6);
        byte[] id = le(console);
        System.arraycopy(id, 0, j, 6, 4);
        socket.send(new DatagramPacket(j, j.length, from));
    }

    private byte[] sessionPacket(byte[] message, Flaw flaw) throws GeneralSecurityException {
        byte[] body = encrypt(message, flaw == Flaw.CONFIDENTIALITY_PAD);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x06, 0x00, (byte) 0xFF, 0x07, 0x06, (byte) 0xC0});
        le32(b, flaw == Flaw.SESSION_ID ? consoleId ^ 0x10 : consoleId);
        le32(b, sequence);
        sequence = sequence == -1 ? 1 : sequence + 1;
        b.write(body.length);
        b.write(body.length >>> 8);
        b.writeBytes(body);
        int pad = (4 - (12 + body.length + 2) % 4) % 4;
        for (int i = 0; i < pad; i++) b.write(flaw == Flaw.PAD_BYTE && i == 0 ? 0x00 : 0xFF);
        b.write(flaw == Flaw.PAD_LENGTH ? pad + 1 : pad);
        b.write(flaw == Flaw.NEXT_HEADER ? 0x06 : 0x07);
        byte[] covered = Arrays.copyOfRange(b.toByteArray(), 4, b.size());
        b.write(hmac(k1, covered), 0, integrityLength());
        return b.toByteArray();
    }

    private byte[] encrypt(byte[] data, boolean badPad) throws GeneralSecurityException {
        int padLength = (16 - (data.length + 1) % 16) % 16;
        if (badPad && padLength == 0) throw new IllegalArgumentException("no confidentiality pad to get wrong");
        byte[] plain = new byte[data.length + padLength + 1];
        System.arraycopy(data, 0, plain, 0, data.length);
        for (int i = 0; i < padLength; i++) plain[data.length + i] = (byte) (badPad ? 0x55 : i + 1);
        plain[plain.length - 1] = (byte) padLength;
        byte[] iv = new byte[16];
        RANDOM.nextBytes(iv);
        Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k2, 0, 16, "AES"), new IvParameterSpec(iv));
        byte[] sealed = aes.doFinal(plain);
        byte[] out = new byte[16 + sealed.length];
        System.arraycopy(iv, 0, out, 0, 16);
        System.arraycopy(sealed, 0, out, 16, sealed.length);
        return out;
    }

    private byte[] decrypt(byte[] payload) throws GeneralSecurityException {
        Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k2, 0, 16, "AES"), new IvParameterSpec(payload, 0, 16));
        byte[] plain = aes.doFinal(payload, 16, payload.length - 16);
        return Arrays.copyOf(plain, plain.length - 1 - (plain[plain.length - 1] & 0xFF));
    }

    private byte[] names() {
        byte[] n = new byte[2 + user.length];
        n[0] = (byte) role;
        n[1] = (byte) user.length;
        System.arraycopy(user, 0, n, 2, user.length);
        return n;
    }

    private int integrityLength() { return sha256 ? 16 : 12; }

    private byte[] hmac(byte[] key, byte[]... parts) throws GeneralSecurityException {
        String alg = sha256 ? "HmacSHA256" : "HmacSHA1";
        Mac mac = Mac.getInstance(alg);
        mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, alg));
        for (byte[] part : parts) mac.update(part);
        return mac.doFinal();
    }

    private static byte[] filled(int value) {
        byte[] b = new byte[20];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] sessionless(int type, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x06, 0x00, (byte) 0xFF, 0x07, 0x06, (byte) type, 0, 0, 0, 0, 0, 0, 0, 0});
        b.write(payload.length);
        b.write(payload.length >>> 8);
        b.writeBytes(payload);
        return b.toByteArray();
    }

    private static byte checksum(byte[] m, int from, int to) {
        int sum = 0;
        for (int i = from; i < to; i++) sum += m[i];
        return (byte) -sum;
    }

    private static int u16(byte[] p, int at) { return (p[at] & 0xFF) | (p[at + 1] & 0xFF) << 8; }

    static int le32(byte[] p, int at) {
        return (p[at] & 0xFF) | (p[at + 1] & 0xFF) << 8 | (p[at + 2] & 0xFF) << 16 | (p[at + 3] & 0xFF) << 24;
    }

    private static byte[] le(int v) { return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)}; }

    private static void le32(ByteArrayOutputStream b, int v) { b.writeBytes(le(v)); }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2000);
    }
}
