package org.ctys.spi;

import org.ctys.inventory.SecretRef;

/**
 * A secret a step needs, read before anything is sent so that a bad one stops the run first.
 *
 * @param form     how its content is read
 * @param required false: the step changes nothing (a power status), so a secret that cannot be
 *                 read fails only its own machine instead of the whole run
 */
public record SecretUse(SecretRef ref, Form form, boolean required) {

    public enum Form {
        /** The bytes as they are (a BMC password, a K_G key). */
        BYTES,
        /** A SecureOn password: six bytes written like a MAC, or four like an IPv4 address. */
        SECURE_ON
    }

    public SecretUse {
        java.util.Objects.requireNonNull(ref);
        java.util.Objects.requireNonNull(form);
    }

    /** The BMC secrets of {@code bmc} (password, K_G) that are set. */
    public static java.util.List<SecretUse> ofBmc(org.ctys.inventory.BmcSettings bmc, boolean required) {
        java.util.List<SecretUse> uses = new java.util.ArrayList<>();
        for (SecretRef ref : java.util.Arrays.asList(bmc.password(), bmc.bmcKey())) {
            if (ref != null) uses.add(new SecretUse(ref, Form.BYTES, required));
        }
        return uses;
    }
}
