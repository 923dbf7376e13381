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

    static final String SUPPORTED = "0 (only where allowed), 1, 2, 3, 6, 7, 8, 11, 12, 15, 16, 17";

    private CipherSuites() {}

    /** The suite for ctys's own RMCP+ sessions: SHA1 or SHA256 authentication (MD5 suites are not offered). */
    static Rmcp.Suite rmcp(BmcAddress bmc) throws BmcException {
        int id = bmc.cipherSuite();
        of(bmc); // refuses suite 0 unless allowed, and unknown suites
        byte[] a = SUITES.get(id);
        if (a[0] == 2) {
            throw new BmcException(BmcException.Kind.REFUSED, "cipher suite " + id + " for BMC " + bmc.display()
                    + " authenticates with HMAC-MD5, which ctys does not offer; valid: 0 (only where allowed), 1, 2, 3, 15, 16, 17");
        }
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
