package org.ctys.bootd;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A job's one-time token: 32 random bytes, base64url without padding. The spool keeps only its
 * SHA-256; a presented token is hashed and the two hashes compared in constant time, so neither
 * the stored value nor the comparison's timing gives the token away.
 */
final class Token {
    static final int BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Token() {}

    static String create() {
        byte[] b = new byte[BYTES];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The hex SHA-256 of the token's text. */
    static String sha256(String token) {
        return HexFormat.of().formatHex(digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code presented} is the token whose hash is {@code storedSha256}; constant time in the token. */
    static boolean matches(String presented, String storedSha256) {
        if (presented == null || storedSha256 == null) return false;
        byte[] stored;
        try {
            stored = HexFormat.of().parseHex(storedSha256);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(digest(presented.getBytes(StandardCharsets.UTF_8)), stored);
    }

    private static byte[] digest(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
