package org.ctys.transport.ipmi;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The RMCP+ wire format of IPMI v2.0 (sections 13.6 to 13.32): the RMCP and session headers, the
 * integrity trailer, AES-CBC-128 confidentiality, and the LAN message inside. Pure functions and
 * one session's keys; no I/O. Whatever arrives is checked field by field before anything in it is
 * believed; a packet that fails any check is a {@link BadPacket}, never another exception.
 */
final class Rmcp {
    static final int PAYLOAD_IPMI = 0x00;
    static final int OPEN_SESSION_REQUEST = 0x10;
    static final int OPEN_SESSION_RESPONSE = 0x11;
    static final int RAKP1 = 0x12;
    static final int RAKP2 = 0x13;
    static final int RAKP3 = 0x14;
    static final int RAKP4 = 0x15;
    /** OEM explicit payloads carry an IANA number and payload ID in the header; ctys has none to take. */
    private static final int PAYLOAD_OEM = 0x02;

    /** The largest packet taken: a reply to a chassis request is under 100 bytes, SOL's under 400. */
    static final int MAX_PACKET = 1024;
    /** RMCP header (4 bytes) and RMCP+ session header (12). */
    private static final int HEADER = 16;
    private static final int NEXT_HEADER = 0x07;

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

    /** One session's keys after RAKP: K1 for integrity, K2 (first 16 bytes) for AES; cleared when it ends. */
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
            this.k1 = alg == null ? new byte[0] : RmcpCrypto.hmac(alg, sik, filled(20, 0x01));
            this.k2 = alg == null ? new byte[0] : RmcpCrypto.hmac(alg, sik, filled(20, 0x02));
        }
    }

    static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
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
            body = RmcpCrypto.encrypt(payload, keys.k2, random);
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
            b.write(NEXT_HEADER);
            byte[] all = b.toByteArray();
            byte[] code;
            try {
                code = RmcpCrypto.hmac(keys.suite.integrityMac(), keys.k1, Arrays.copyOfRange(all, RMCP_HEADER.length, all.length));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            b.write(code, 0, keys.suite.integrityLength());
        }
        return b.toByteArray();
    }

    /**
     * A received packet that passed every check of the codec: its payload type, session ID, session
     * sequence number, whether it carried an integrity code (checked), and its payload (decrypted).
     */
    record Received(int payloadType, int sessionId, int sequence, boolean authenticated, byte[] payload) {
    }

    /**
     * Parses the first {@code length} bytes of {@code p}. With {@code keys}, an authenticated
     * packet's trailer (integrity pad of FFh bytes to a multiple of 4, pad length, next header 07h)
     * and integrity code must be right, and an encrypted payload is decrypted and its pad checked;
     * without them (before the session has keys) no packet may claim either.
     */
    static Received parse(byte[] p, int length, Keys keys) throws BadPacket {
        if (length > MAX_PACKET || length > p.length) throw new BadPacket("oversized packet");
        if (length < HEADER) throw new BadPacket("truncated header");
        for (int i = 0; i < RMCP_HEADER.length; i++) {
            if (p[i] != RMCP_HEADER[i]) throw new BadPacket("not an RMCP packet of class IPMI");
        }
        if ((p[4] & 0xFF) != AUTH_TYPE_RMCP_PLUS) throw new BadPacket("not RMCP+ (authentication type)");
        int type = p[5] & 0xFF;
        if ((type & 0x3F) == PAYLOAD_OEM) throw new BadPacket("OEM payload");
        int sessionId = le32(p, 6);
        int sequence = le32(p, 10);
        int end = HEADER + ((p[14] & 0xFF) | (p[15] & 0xFF) << 8);
        if (end > length) throw new BadPacket("truncated payload");
        boolean authenticated = (type & 0x40) != 0;
        boolean encrypted = (type & 0x80) != 0;
        boolean sessionPacket = sessionId != 0 && keys != null;
        if (authenticated) {
            if (keys == null || keys.suite.integrityLength() == 0) throw new BadPacket("unexpected integrity trailer");
            checkTrailer(p, end, length, keys);
        } else if (end != length) {
            throw new BadPacket("bytes after the payload");
        } else if (sessionPacket && keys.suite.integrityLength() > 0) {
            throw new BadPacket("a session packet without its integrity code");
        }
        byte[] body = Arrays.copyOfRange(p, HEADER, end);
        if (encrypted) {
            if (keys == null || !keys.suite.encrypted()) throw new BadPacket("unexpected encryption");
            body = RmcpCrypto.decrypt(body, keys.k2);
        } else if (sessionPacket && keys.suite.encrypted()) {
            throw new BadPacket("a session packet in the clear where the suite encrypts");
        }
        return new Received(type & 0x3F, sessionId, sequence, authenticated, body);
    }

    /** The integrity trailer (13.28.4) after the payload, which ends at {@code end}, and its code. */
    private static void checkTrailer(byte[] p, int end, int length, Keys keys) throws BadPacket {
        int n = keys.suite.integrityLength();
        int codeAt = length - n;
        int pad = codeAt - end - 2;
        if (pad < 0) throw new BadPacket("truncated integrity trailer");
        // the pad makes the bytes from the authentication type to the next header a multiple of 4
        if (pad > 3 || (codeAt - RMCP_HEADER.length) % 4 != 0) throw new BadPacket("integrity pad length");
        for (int i = end; i < end + pad; i++) {
            if (p[i] != (byte) 0xFF) throw new BadPacket("integrity pad byte");
        }
        if ((p[end + pad] & 0xFF) != pad) throw new BadPacket("pad length byte");
        if (p[end + pad + 1] != NEXT_HEADER) throw new BadPacket("next header");
        byte[] code;
        try {
            code = RmcpCrypto.hmac(keys.suite.integrityMac(), keys.k1, Arrays.copyOfRange(p, RMCP_HEADER.length, codeAt));
        } catch (GeneralSecurityException e) {
            throw new BadPacket("integrity algorithm: " + e.getMessage());
        }
        if (!MessageDigest.isEqual(Arrays.copyOf(code, n), Arrays.copyOfRange(p, codeAt, length))) {
            throw new BadPacket("integrity check");
        }
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

    /** A response message (13.8), both of its checksums checked. */
    static Response response(byte[] m) throws BadPacket {
        // requester, netFn, checksum, responder, rqSeq, command, completion code, checksum
        if (m.length < 8) throw new BadPacket("short IPMI message");
        if (m[2] != checksum(m, 0, 2)) throw new BadPacket("IPMI header checksum");
        if (m[m.length - 1] != checksum(m, 3, m.length - 1)) throw new BadPacket("IPMI data checksum");
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
