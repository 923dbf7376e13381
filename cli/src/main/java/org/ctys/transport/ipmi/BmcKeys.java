package org.ctys.transport.ipmi;

/** The BMC key (K_G) rules both session kinds share: power control's and Serial-over-LAN's. */
final class BmcKeys {
    static final int MAX_LENGTH = 20;

    private BmcKeys() {}

    /**
     * The key the session is keyed with, or null for none: a key of zeros is none (IPMI v2.0
     * 13.31), and one longer than the 20 bytes IPMI allows is refused.
     */
    static byte[] effective(BmcAddress bmc, byte[] key) throws BmcException {
        if (key == null) return null;
        if (key.length > MAX_LENGTH) {
            throw new BmcException(BmcException.Kind.AUTHENTICATION, "the BMC key (K_G) for BMC " + bmc.display() + " is "
                    + key.length + " bytes; IPMI v2.0 allows at most " + MAX_LENGTH);
        }
        for (byte b : key) if (b != 0) return key;
        return null;
    }
}
