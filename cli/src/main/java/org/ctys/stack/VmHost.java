package org.ctys.stack;

import java.util.ArrayList;
import java.util.List;
import org.ctys.inventory.Machine;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Remote;
import org.ctys.spi.Remotes;
import org.ctys.spi.Target;

/**
 * A machine that runs guests, as the stack reaches it: the target it is (a machine, or a guest
 * that is a host itself: {@code pm01[c1]}), how to reach it over SSH (null: this host, without
 * SSH), and the hypervisor dialect and connection URI to speak there.
 */
public record VmHost(Target target, Remote remote, Dialect dialect, String uri) {
    /** libvirt's system connection: what {@code virsh} means as root, named so it does not depend on the host's defaults. */
    public static final String DEFAULT_URI = "qemu:///system";

    /** The report's name of this host: {@code lab01}, {@code root@lab01}, {@code lab01[c1]}. */
    public String label() { return target.display(); }

    /** The report's name of one of its guests: {@code lab01[web1]}. */
    public String guestLabel(String guest) { return label() + "[" + inLabel(guest) + "]"; }

    /**
     * A guest's name as the last level of a stack address: '[', ']' and the backslash written as
     * {@code \x5b}, {@code \x5d}, {@code \x5c}, so that every name gives a label of its own. A
     * guest a host reports as {@code c1][x} would otherwise be the row of guest {@code x} on the
     * nested host {@code c1}, and its confirmation could stand for that guest's (taking {@code c1}
     * down under a guest that still runs).
     */
    static String inLabel(String guest) {
        if (guest.indexOf('[') < 0 && guest.indexOf(']') < 0 && guest.indexOf('\\') < 0) return guest;
        return guest.replace("\\", "\\x5c").replace("[", "\\x5b").replace("]", "\\x5d");
    }

    /** What the inventory knows of this host (the last level of a stack address), or null. */
    public static Machine machineOf(Target t, PlanContext context) {
        if (t.stack().isEmpty()) return t.machine();
        return context.machine(t.stack().get(t.stack().size() - 1)).orElse(null);
    }

    /** The host a target names, speaking {@code dialect}; the URI is the inventory's, else {@link #DEFAULT_URI}. */
    public static VmHost of(Target t, Dialect dialect, GenericOptions options, PlanContext context) {
        Machine m = machineOf(t, context);
        String uri = m != null && m.uri() != null ? m.uri() : DEFAULT_URI;
        return new VmHost(t, t.isLocal() ? null : Remotes.of(t, options, context), dialect, uri);
    }

    /** One of its guests as a host in turn (a nested stack), reached through this one when the inventory says so. */
    public Target guestTarget(String guest) {
        List<String> stack = new ArrayList<>(target.stack());
        stack.add(guest);
        return new Target(target.name(), target.user(), stack, target.machine(), null);
    }
}
