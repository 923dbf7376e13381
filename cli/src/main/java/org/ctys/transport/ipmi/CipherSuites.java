package org.ctys.transport.ipmi;

import java.util.Map;
import org.metricshub.ipmi.core.coding.security.CipherSuite;

/**
 * The cipher suites of IPMI v2.0 table 22-20 that the library implements, by number: the
 * authentication, integrity and confidentiality algorithms of each. Suites with xRC4 are absent.
 */
final class CipherSuites {
    // id -> {authentication, integrity, confidentiality}
    private static final Map<Integer, byte[]> SUITES = Map.ofEntries(
            Map.entry(0, new byte[] {0, 0, 0}),
            Map.entry(1, new byte[] {1, 0, 0}),
            Map.entry(2, new byte[] {1, 1, 0}),
            Map.entry(3, new byte[] {1, 1, 1}),
            Map.entry(6, new byte[] {2, 0, 0}),
            Map.entry(7, new byte[] {2, 2, 0}),
            Map.entry(8, new byte[] {2, 2, 1}),
            Map.entry(11, new byte[] {2, 3, 0}),
            Map.entry(12, new byte[] {2, 3, 1}),
            Map.entry(15, new byte[] {3, 0, 0}),
            Map.entry(16, new byte[] {3, 4, 0}),
            Map.entry(17, new byte[] {3, 4, 1}));

    /** The suites ctys speaks: RAKP and integrity with HMAC-SHA1 or HMAC-SHA256, with or without AES. */
    static final java.util.Set<Integer> SPOKEN = java.util.Set.of(0, 2, 3, 16, 17);

    static final String SUPPORTED = "0 (only where allowed), 2, 3, 16, 17";

    private CipherSuites() {}

    /**
     * The suite for ctys's own RMCP+ sessions. Suites 1 and 15 check the login but nothing after
     * it (anyone on the path could answer for the BMC); MD5 and xRC4 suites are not offered.
     */
    static Rmcp.Suite rmcp(BmcAddress bmc) throws BmcException {
        int id = bmc.cipherSuite();
        of(bmc); // refuses suite 0 unless allowed
        if (!SPOKEN.contains(id)) {
            String why = id == 1 || id == 15 ? " protects the login only, not what follows it"
                    : SUITES.containsKey(id) ? " uses HMAC-MD5, which ctys does not offer" : " uses xRC4, which ctys does not offer";
            throw new BmcException(BmcException.Kind.REFUSED, "cipher suite " + id + " for BMC " + bmc.display() + why
                    + "; valid: " + SUPPORTED);
        }
        byte[] a = SUITES.get(id);
        return new Rmcp.Suite(id, a[0], a[1], a[2]);
    }

    /** A fresh suite object: the library keeps a session's keys in it, so sessions never share one. */
    static CipherSuite of(BmcAddress bmc) throws BmcException {
        int id = bmc.cipherSuite();
        if (id == 0 && !bmc.allowCipherSuite0()) {
            throw new BmcException(BmcException.Kind.REFUSED, "cipher suite 0 for BMC " + bmc.display()
                    + " authenticates nothing and is refused; allow it with allow-cipher-suite-0: true in the inventory");
        }
        byte[] a = SUITES.get(id);
        if (a == null) {
            throw new BmcException(BmcException.Kind.REFUSED, "cipher suite " + id + " for BMC " + bmc.display()
                    + " is not supported; valid: " + SUPPORTED);
        }
        return new CipherSuite((byte) id, a[0], a[2], a[1]);
    }
}
