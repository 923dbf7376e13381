package org.ctys.inventory;

/**
 * A machine's baseboard management controller, reached with IPMI over LAN.
 *
 * @param user     may be null for controllers that allow an anonymous user
 * @param password may be null for controllers without a password
 * @param allowCipherSuite0 cipher suite 0 sends no authentication at all, so it must be asked for
 */
public record BmcSettings(String address, String user, SecretRef password, int cipherSuite, boolean allowCipherSuite0) {

    /** Suite 3 (HMAC-SHA1, AES-128) is the one every IPMI 2.0 controller supports. */
    public static final int DEFAULT_CIPHER_SUITE = 3;
}
