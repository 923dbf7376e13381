package org.ctys.inventory;

import java.util.Optional;

/** What runs a machine's guests, as written in the inventory's {@code hypervisor} key. */
public enum Hypervisor {
    KVM, XEN, NONE;

    public String text() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** Exact, lower-case match only, so that the file reads the same everywhere. */
    public static Optional<Hypervisor> of(String text) {
        for (Hypervisor h : values()) {
            if (h.text().equals(text)) return Optional.of(h);
        }
        return Optional.empty();
    }
}
