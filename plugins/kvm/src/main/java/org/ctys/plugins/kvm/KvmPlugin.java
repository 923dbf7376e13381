package org.ctys.plugins.kvm;

import java.util.List;
import org.ctys.inventory.Hypervisor;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Plugin;
import org.ctys.stack.GuestActions;
import org.ctys.stack.GuestPlanner;
import org.ctys.stack.Virsh;

/** KVM guests through libvirt: virsh on the guest's host, over SSH (locally for localhost). */
public final class KvmPlugin implements Plugin {
    private static final List<ActionSpec> ACTIONS = GuestActions.of("virsh");

    @Override
    public String type() { return "KVM"; }

    @Override
    public String summary() { return "KVM guests (libvirt): start, shut down confirmed, reboot, save, pause, list"; }

    @Override
    public List<ActionSpec> actions() { return ACTIONS; }

    @Override
    public String details() { return KvmDetails.TEXT; }

    @Override
    public Plan plan(ActionRequest request, PlanContext context) {
        return new GuestPlanner(Hypervisor.KVM, new Virsh()).plan(request, context);
    }
}
