package org.ctys.transport.ipmi;

import java.util.Map;
import org.metricshub.ipmi.core.coding.security.CipherSuite;

/**
 * The cipher suites of IPMI v2.0 table 22-20 without xRC4, by number: the authentication,
 * integrity and confidentiality algorithms of each, and which of them ctys speaks.
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

    /**
     * The suites ctys speaks, as their algorithms say: authentication and integrity both with
     * HMAC-SHA1 or HMAC-SHA256 (AES or not), or suite 0. Suites 1 and 15 check the login but nothing
     * after it (anyone on the path could answer for the BMC); MD5 and xRC4 suites are not offered.
     */
    static final java.util.Set<Integer> SPOKEN = SUITES.entrySet().stream()
            .filter(e -> e.getKey() == 0 || (e.getValue()[0] == 1 || e.getValue()[0] == 3) && e.getValue()[1] != 0)
            .map(Map.Entry::getKey).collect(java.util.stream.Collectors.toUnmodifiableSet());

    static final String SUPPORTED = "0 (only where allowed), " + SPOKEN.stream().filter(i -> i != 0).sorted()
            .map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));

    private CipherSuites() {}

    /** Refuses a suite ctys does not speak, and suite 0 unless the inventory allows it; returns its algorithms. */
    private static byte[] check(BmcAddress bmc) throws BmcException {
        int id = bmc.cipherSuite();
        if (id == 0 && !bmc.allowCipherSuite0()) {
            throw new BmcException(BmcException.Kind.REFUSED, "cipher suite 0 for BMC " + bmc.display()
                    + " authenticates nothing and is refused; allow it with allow-cipher-suite-0: true in the inventory");
        }
        byte[] a = SUITES.get(id);
        if (!SPOKEN.contains(id)) {
            String why = a == null ? " uses xRC4, which ctys does not offer" : a[0] == 2 ? " uses HMAC-MD5, which ctys does not offer"
                    : " protects the login only, not what follows it";
            throw new BmcException(BmcException.Kind.REFUSED, "cipher suite " + id + " for BMC " + bmc.display() + why
                    + "; valid: " + SUPPORTED);
        }
        return a;
    }

    /** The suite for ctys's own RMCP+ sessions. */
    static Rmcp.Suite rmcp(BmcAddress bmc) throws BmcException {
        byte[] a = check(bmc);
        return new Rmcp.Suite(bmc.cipherSuite(), a[0], a[1], a[2]);
    }

    /** A fresh suite object for the library (SOL): it keeps a session's keys in it, so sessions never share one. */
    static CipherSuite of(BmcAddress bmc) throws BmcException {
        byte[] a = check(bmc);
        return new CipherSuite((byte) bmc.cipherSuite(), a[0], a[2], a[1]);
    }
}
