package org.ctys.stack;

import java.util.Optional;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Machine;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Target;

/** What the stack asks of the inventory and the command line while it walks: which guests are hosts themselves. */
public record Stacks(GenericOptions options, PlanContext context) {

    /** The dialect of an inventory hypervisor; empty for none. */
    public static Optional<Dialect> dialect(Hypervisor h) {
        return switch (h) {
            case KVM -> Optional.of(new Virsh());
            case XEN -> Optional.of(new Xl());
            case NONE -> Optional.empty();
        };
    }

    /**
     * A guest the inventory names as a host of guests (hypervisor: kvm|xen) <em>under this very
     * host</em>: reached through its host, walked in turn. A guest the host reports by the name of
     * another inventory machine (a domain called {@code lab02} on lab01) is lab01's guest, shut down
     * as any other: it is not lab02, whose own guests a walk of lab01 must never touch.
     */
    public Optional<VmHost> asHost(VmHost parent, String guest) {
        Machine m = context.machine(guest).orElse(null);
        if (m == null || m.hypervisor() == Hypervisor.NONE) return Optional.empty();
        Machine here = VmHost.machineOf(parent.target(), context);
        if (here == null || m.parent() == null || !m.parent().equals(here.name())) return Optional.empty();
        Target t = parent.guestTarget(guest);
        return dialect(m.hypervisor()).map(d -> VmHost.of(t, d, options, context));
    }
}
