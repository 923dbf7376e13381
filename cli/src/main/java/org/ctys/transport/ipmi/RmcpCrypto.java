package org.ctys.transport.ipmi;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;

/**
 * HMAC and AES-CBC-128 for RMCP+ (IPMI v2.0 sections 13.28 to 13.29), on instances each thread
 * keeps, and without leaving copies of keys behind: every key is handed to the JCE in a
 * {@link OneUseKey} that is wiped right after, and {@link #forget()} overwrites what this thread's
 * instances derived from the last key (a session calls it when it closes).
 */
final class RmcpCrypto {
    // Java's provider lookup costs more than an HMAC of a packet: each thread keeps its instances
    private static final ThreadLocal<Mac> SHA1 = new ThreadLocal<>();
    private static final ThreadLocal<Mac> SHA256 = new ThreadLocal<>();
    private static final ThreadLocal<Cipher> AES = new ThreadLocal<>();
    private static final int AES_BLOCK = 16;

    private RmcpCrypto() {}

    static Mac mac(String algorithm) throws GeneralSecurityException {
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
        try (OneUseKey k = new OneUseKey(key.length == 0 ? new byte[1] : key, 0, Math.max(1, key.length), algorithm)) {
            mac.init(k);
        }
        for (byte[] p : parts) mac.update(p);
        return mac.doFinal();
    }

    /** The payload with its confidentiality pad (1, 2, 3, ... and the pad length), behind a random IV. */
    static byte[] encrypt(byte[] data, byte[] k2, SecureRandom random) throws GeneralSecurityException {
        int padLength = (AES_BLOCK - (data.length + 1) % AES_BLOCK) % AES_BLOCK;
        byte[] plain = new byte[data.length + padLength + 1];
        System.arraycopy(data, 0, plain, 0, data.length);
        for (int i = 0; i < padLength; i++) plain[data.length + i] = (byte) (i + 1);
        plain[plain.length - 1] = (byte) padLength;
        byte[] iv = new byte[AES_BLOCK];
        random.nextBytes(iv);
        Cipher aes = aes();
        try (OneUseKey k = new OneUseKey(k2, 0, AES_BLOCK, "AES")) {
            aes.init(Cipher.ENCRYPT_MODE, k, new IvParameterSpec(iv));
        }
        byte[] sealed = aes.doFinal(plain);
        byte[] out = new byte[AES_BLOCK + sealed.length];
        System.arraycopy(iv, 0, out, 0, AES_BLOCK);
        System.arraycopy(sealed, 0, out, AES_BLOCK, sealed.length);
        return out;
    }

    /** The payload inside an encrypted one: IV, then whole blocks, ending in a pad of 1, 2, 3, ... */
    static byte[] decrypt(byte[] data, byte[] k2) throws BadPacket {
        if (data.length < 2 * AES_BLOCK || data.length % AES_BLOCK != 0) throw new BadPacket("encrypted payload length");
        byte[] plain;
        try {
            Cipher aes = aes();
            try (OneUseKey k = new OneUseKey(k2, 0, AES_BLOCK, "AES")) {
                aes.init(Cipher.DECRYPT_MODE, k, new IvParameterSpec(data, 0, AES_BLOCK));
            }
            plain = aes.doFinal(data, AES_BLOCK, data.length - AES_BLOCK);
        } catch (GeneralSecurityException e) {
            throw new BadPacket("decryption: " + e.getMessage());
        }
        int padLength = plain[plain.length - 1] & 0xFF;
        if (padLength >= AES_BLOCK) throw new BadPacket("confidentiality pad length");
        int start = plain.length - 1 - padLength;
        for (int i = 0; i < padLength; i++) {
            if ((plain[start + i] & 0xFF) != i + 1) throw new BadPacket("confidentiality pad");
        }
        return Arrays.copyOf(plain, start);
    }

    /**
     * Overwrites what this thread's HMAC and AES instances hold of the last key with a key of
     * zeros. The JCE re-keys HMAC in place; AES's replaced key schedule is left to the garbage
     * collector, which is all the JCE allows.
     */
    static void forget() {
        byte[] zero = new byte[20];
        for (ThreadLocal<Mac> cache : java.util.List.of(SHA1, SHA256)) {
            Mac mac = cache.get();
            if (mac == null) continue;
            try (OneUseKey k = new OneUseKey(zero, 0, zero.length, mac.getAlgorithm())) {
                mac.init(k);
            } catch (GeneralSecurityException | RuntimeException e) {
                cache.remove();
            }
        }
        Cipher c = AES.get();
        if (c != null) {
            try (OneUseKey k = new OneUseKey(zero, 0, AES_BLOCK, "AES")) {
                c.init(Cipher.ENCRYPT_MODE, k, new IvParameterSpec(new byte[AES_BLOCK]));
            } catch (GeneralSecurityException | RuntimeException e) {
                AES.remove();
            }
        }
    }

    /**
     * A key for one init call. {@code SecretKeySpec} keeps a copy that nobody can wipe (its
     * {@code destroy} throws DestroyFailedException, the JDK's default); this one is wiped when
     * closed. The JCE takes its own copy with {@code getEncoded} and wipes that itself.
     */
    static final class OneUseKey implements SecretKey, AutoCloseable {
        private static final long serialVersionUID = 1L;
        private final byte[] key;
        private final String algorithm;
        private boolean destroyed;

        OneUseKey(byte[] source, int from, int length, String algorithm) {
            this.key = Arrays.copyOfRange(source, from, from + length);
            this.algorithm = algorithm;
        }

        @Override
        public String getAlgorithm() { return algorithm; }

        @Override
        public String getFormat() { return "RAW"; }

        @Override
        public byte[] getEncoded() {
            if (destroyed) throw new IllegalStateException("the key was wiped");
            return key.clone();
        }

        @Override
        public void destroy() {
            Arrays.fill(key, (byte) 0);
            destroyed = true;
        }

        @Override
        public boolean isDestroyed() { return destroyed; }

        @Override
        public void close() { destroy(); }
    }
}
