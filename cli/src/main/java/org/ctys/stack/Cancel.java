package org.ctys.stack;

import java.time.Duration;

/**
 * How the guests of a stack are taken down.
 *
 * @param mode         what is done to each guest
 * @param timeout      how long one guest may take to stop (or start again)
 * @param destroyAfter a guest that does not stop within {@code timeout} is destroyed instead of
 *                     failing (KVM/XEN FORCE)
 * @param destroyNow   no shutdown at all: running guests are destroyed at once and nothing nested
 *                     is visited (PM FORCE: the lowest hypervisor stops everything)
 * @param only         the one guest to act on (L:), or null for every guest
 */
public record Cancel(Mode mode, Duration timeout, boolean destroyAfter, boolean destroyNow, String only) {

    /** The same for every guest of a nested host (L: names a guest of the first level only). */
    Cancel everyGuest() { return new Cancel(mode, timeout, destroyAfter, destroyNow, null); }

    /** Guests below a machine that reboots itself only go down: the machine brings them back after. */
    Cancel downOnly() { return new Cancel(Mode.POWEROFF, timeout, destroyAfter, destroyNow, only); }
}
