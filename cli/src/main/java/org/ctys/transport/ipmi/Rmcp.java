package org.ctys.transport.ipmi;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The RMCP+ wire format of IPMI v2.0 (sections 13.6 to 13.32): the RMCP and session headers, the
 * integrity trailer, AES-CBC-128 confidentiality, and the LAN message inside. Pure functions and
 * one session's keys; no I/O.
 */
final class Rmcp {
    static final int PAYLOAD_IPMI = 0x00;
    static final int OPEN_SESSION_REQUEST = 0x10;
    static final int OPEN_SESSION_RESPONSE = 0x11;
    static final int RAKP1 = 0x12;
    static final int RAKP2 = 0x13;
    static final int RAKP3 = 0x14;
    static final int RAKP4 = 0x15;

    private static final byte[] RMCP_HEADER = {0x06, 0x00, (byte) 0xFF, 0x07};
    private static final int AUTH_TYPE_RMCP_PLUS = 0x06;
    static final int BMC_ADDRESS = 0x20;
    static final int CONSOLE_ADDRESS = 0x81;

    private Rmcp() {}

    /** The algorithms of one cipher suite (IPMI v2.0 table 22-20). */
    record Suite(int id, int authentication, int integrity, int confidentiality) {
        /** HMAC of RAKP: none, SHA1 or SHA256 (MD5 suites are not offered by ctys). */
        String authMac() { return authentication == 1 ? "HmacSHA1" : authentication == 3 ? "HmacSHA256" : null; }

        String integrityMac() { return integrity == 1 ? "HmacSHA1" : integrity == 4 ? "HmacSHA256" : null; }

        int integrityLength() { return integrity == 1 ? 12 : integrity == 4 ? 16 : 0; }

        /** RAKP4's integrity check value: the first bytes of the HMAC, by the authentication algorithm. */
        int rakp4Length() { return authentication == 1 ? 12 : authentication == 3 ? 16 : 0; }

        boolean encrypted() { return confidentiality == 1; }
    }

    /** One session's keys after RAKP: K1 for integrity, K2 (first 16 bytes) for AES. */
    static final class Keys {
        final Suite suite;
        final byte[] k1;
        final byte[] k2;

        void clear() {
            Arrays.fill(k1, (byte) 0);
            Arrays.fill(k2, (byte) 0);
        }

        Keys(Suite suite, byte[] sik) throws GeneralSecurityException {
            this.suite = suite;
            String alg = suite.authMac();
            // the constants are 20 bytes whatever the hash (as ipmitool and FreeIPMI have them)
            this.k1 = alg == null ? new byte[0] : hmac(alg, sik, filled(20, 0x01));
            this.k2 = alg == null ? new byte[0] : hmac(alg, sik, filled(20, 0x02));
        }
    }

    static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    // Java's provider lookup costs more than an HMAC of a packet: each thread keeps its instances
    private static final ThreadLocal<Mac> SHA1 = new ThreadLocal<>();
    private static final ThreadLocal<Mac> SHA256 = new ThreadLocal<>();
    private static final ThreadLocal<Cipher> AES = new ThreadLocal<>();

    private static Mac mac(String algorithm) throws GeneralSecurityException {
        ThreadLocal<Mac> cache = algorithm.equals("HmacSHA1") ? SHA1 : SHA256;
        Mac mac = cache.get();
        if (mac == null) {
            mac = Mac.getInstance(algorithm);
            cache.set(mac);
        }
        return mac;
    }

    private static Cipher aes() throws GeneralSecurityException {
        Cipher c = AES.get();
        if (c == null) {
            c = Cipher.getInstance("AES/CBC/NoPadding");
            AES.set(c);
        }
        return c;
    }

    static byte[] hmac(String algorithm, byte[] key, byte[]... parts) throws GeneralSecurityException {
        Mac mac = mac(algorithm);
        // HMAC pads a short key with zeros; an empty password is a key of zeros
        mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
        for (byte[] p : parts) mac.update(p);
        return mac.doFinal();
    }

    /** A sessionless packet (open session, RAKP): session ID and sequence 0, no trailer. */
    static byte[] sessionless(int payloadType, byte[] payload) {
        return packet(payloadType, 0, 0, payload, null);
    }

    /** A session packet: encrypted and authenticated as the suite says. */
    static byte[] session(int payloadType, int sessionId, int sequence, byte[] payload, Keys keys, SecureRandom random)
            throws GeneralSecurityException {
        byte[] body = payload;
        int type = payloadType;
        if (keys.suite.encrypted()) {
            body = encrypt(payload, keys.k2, random);
            type |= 0x80;
        }
        if (keys.suite.integrityLength() > 0) type |= 0x40;
        return packet(type, sessionId, sequence, body, keys);
    }

    private static byte[] packet(int type, int sessionId, int sequence, byte[] body, Keys keys) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64 + body.length);
        b.writeBytes(RMCP_HEADER);
        b.write(AUTH_TYPE_RMCP_PLUS);
        b.write(type);
        le32(b, sessionId);
        le32(b, sequence);
        b.write(body.length & 0xFF);
        b.write(body.length >>> 8);
        b.writeBytes(body);
        if (keys != null && keys.suite.integrityLength() > 0) {
            // pad so that the session header, payload, pad, pad length and next header are a multiple of 4
            int covered = b.size() - RMCP_HEADER.length + 2;
            int pad = (4 - covered % 4) % 4;
            for (int i = 0; i < pad; i++) b.write(0xFF);
            b.write(pad);
            b.write(0x07);
            byte[] all = b.toByteArray();
            byte[] code;
            try {
                code = hmac(keys.suite.integrityMac(), keys.k1, Arrays.copyOfRange(all, RMCP_HEADER.length, all.length));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            b.write(code, 0, keys.suite.integrityLength());
        }
        return b.toByteArray();
    }

    private static byte[] encrypt(byte[] data, byte[] k2, SecureRandom random) throws GeneralSecurityException {
        int padLength = (16 - (data.length + 1) % 16) % 16;
        byte[] plain = new byte[data.length + padLength + 1];
        System.arraycopy(data, 0, plain, 0, data.length);
        for (int i = 0; i < padLength; i++) plain[data.length + i] = (byte) (i + 1);
        plain[plain.length - 1] = (byte) padLength;
        byte[] iv = new byte[16];
        random.nextBytes(iv);
        Cipher aes = aes();
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k2, 0, 16, "AES"), new IvParameterSpec(iv));
        byte[] sealed = aes.doFinal(plain);
        byte[] out = new byte[16 + sealed.length];
        System.arraycopy(iv, 0, out, 0, 16);
        System.arraycopy(sealed, 0, out, 16, sealed.length);
        return out;
    }

    private static byte[] decrypt(byte[] data, byte[] k2) throws GeneralSecurityException {
        if (data.length < 32 || data.length % 16 != 0) throw new GeneralSecurityException("bad encrypted payload length");
        Cipher aes = aes();
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k2, 0, 16, "AES"), new IvParameterSpec(data, 0, 16));
        byte[] plain = aes.doFinal(data, 16, data.length - 16);
        int padLength = plain[plain.length - 1] & 0xFF;
        if (padLength > 15) throw new GeneralSecurityException("bad confidentiality pad");
        return Arrays.copyOf(plain, plain.length - 1 - padLength);
    }

    /** A received packet: its payload type, session ID and payload (decrypted and checked). */
    record Received(int payloadType, int sessionId, byte[] payload) {
    }

    /**
     * Parses a packet. Null when it is not RMCP+ at all. With {@code keys}, an authenticated packet's
     * integrity code must match and an encrypted payload is decrypted.
     */
    static Received parse(byte[] p, int length, Keys keys) throws GeneralSecurityException {
        if (length < 16 || p[0] != 0x06 || p[3] != 0x07 || (p[4] & 0xFF) != AUTH_TYPE_RMCP_PLUS) return null;
        int type = p[5] & 0xFF;
        int sessionId = le32(p, 6);
        int payloadLength = (p[14] & 0xFF) | (p[15] & 0xFF) << 8;
        if (16 + payloadLength > length) throw new GeneralSecurityException("truncated packet");
        byte[] body = Arrays.copyOfRange(p, 16, 16 + payloadLength);
        boolean authenticated = (type & 0x40) != 0;
        boolean encrypted = (type & 0x80) != 0;
        if (authenticated) {
            if (keys == null || keys.suite.integrityLength() == 0) throw new GeneralSecurityException("unexpected integrity trailer");
            int n = keys.suite.integrityLength();
            if (length - n < 16 + payloadLength + 2) throw new GeneralSecurityException("truncated integrity trailer");
            byte[] code = hmac(keys.suite.integrityMac(), keys.k1, Arrays.copyOfRange(p, 4, length - n));
            if (!java.security.MessageDigest.isEqual(Arrays.copyOf(code, n), Arrays.copyOfRange(p, length - n, length))) {
                throw new GeneralSecurityException("integrity check failed");
            }
        } else if (keys != null && keys.suite.integrityLength() > 0 && sessionId != 0) {
            throw new GeneralSecurityException("a session packet without its integrity code");
        }
        if (encrypted) {
            if (keys == null || !keys.suite.encrypted()) throw new GeneralSecurityException("unexpected encryption");
            body = decrypt(body, keys.k2);
        } else if (keys != null && keys.suite.encrypted() && sessionId != 0) {
            throw new GeneralSecurityException("a session packet in the clear where the suite encrypts");
        }
        return new Received(type & 0x3F, sessionId, body);
    }

    /** An IPMI request message (13.8): to the BMC at LUN 0, from the console's software ID. */
    static byte[] request(int netFn, int command, int rqSeq, byte[] data) {
        byte[] m = new byte[7 + data.length];
        m[0] = (byte) BMC_ADDRESS;
        m[1] = (byte) (netFn << 2);
        m[2] = checksum(m, 0, 2);
        m[3] = (byte) CONSOLE_ADDRESS;
        m[4] = (byte) (rqSeq << 2);
        m[5] = (byte) command;
        System.arraycopy(data, 0, m, 6, data.length);
        m[m.length - 1] = checksum(m, 3, m.length - 1);
        return m;
    }

    /** A response message's parts: the request sequence, command, completion code and data. */
    record Response(int rqSeq, int netFn, int command, int completion, byte[] data) {
    }

    static Response response(byte[] m) {
        if (m.length < 8) return null;
        return new Response((m[4] & 0xFF) >>> 2, (m[1] & 0xFF) >>> 2, m[5] & 0xFF, m[6] & 0xFF,
                Arrays.copyOfRange(m, 7, m.length - 1));
    }

    private static byte checksum(byte[] m, int from, int to) {
        int sum = 0;
        for (int i = from; i < to; i++) sum += m[i];
        return (byte) -sum;
    }

    static void le32(ByteArrayOutputStream b, int v) {
        b.write(v);
        b.write(v >>> 8);
        b.write(v >>> 16);
        b.write(v >>> 24);
    }

    static int le32(byte[] p, int at) {
        return (p[at] & 0xFF) | (p[at + 1] & 0xFF) << 8 | (p[at + 2] & 0xFF) << 16 | (p[at + 3] & 0xFF) << 24;
    }
}
