package org.ctys.inventory;

/**
 * A machine's baseboard management controller, reached with IPMI over LAN.
 *
 * @param port     UDP port of RMCP (623 unless the inventory says otherwise)
 * @param user     may be null for controllers that allow an anonymous user
 * @param password may be null for controllers without a password
 * @param allowCipherSuite0 cipher suite 0 sends no authentication at all, so it must be asked for
 * @param bmcKey   where the BMC key (K_G, IPMI v2.0's "two-key login") is kept; null when the BMC has none
 */
public record BmcSettings(String address, int port, String user, SecretRef password, int cipherSuite,
                          boolean allowCipherSuite0, SecretRef bmcKey) {

    /** A BMC without a BMC key (K_G): the session key comes from the password. */
    public BmcSettings(String address, int port, String user, SecretRef password, int cipherSuite,
                       boolean allowCipherSuite0) {
        this(address, port, user, password, cipherSuite, allowCipherSuite0, null);
    }

    /** IPMI over LAN's UDP port (RMCP). */
    public static final int DEFAULT_PORT = 623;

    /** The cipher suites ctys speaks: RAKP and integrity with HMAC-SHA1 or HMAC-SHA256, with or without AES. */
    public static final java.util.Set<Integer> SPOKEN_CIPHER_SUITES = java.util.Set.of(0, 2, 3, 16, 17);

    /** Suite 3 (HMAC-SHA1, AES-128) is the one every IPMI 2.0 controller supports. */
    public static final int DEFAULT_CIPHER_SUITE = 3;
}
