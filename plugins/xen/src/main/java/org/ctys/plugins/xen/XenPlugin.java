package org.ctys.plugins.xen;

import java.util.List;
import org.ctys.inventory.Hypervisor;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Plugin;
import org.ctys.stack.GuestActions;
import org.ctys.stack.GuestPlanner;
import org.ctys.stack.Xl;

/** Xen guests: xl on the guest's host (dom0), over SSH (locally for localhost). */
public final class XenPlugin implements Plugin {
    private static final List<ActionSpec> ACTIONS = GuestActions.of("xl");

    @Override
    public String type() { return "XEN"; }

    @Override
    public String summary() { return "Xen guests (xl): start, shut down confirmed, reboot, save, pause, list"; }

    @Override
    public List<ActionSpec> actions() { return ACTIONS; }

    @Override
    public String details() { return XenDetails.TEXT; }

    @Override
    public Plan plan(ActionRequest request, PlanContext context) {
        return new GuestPlanner(Hypervisor.XEN, new Xl()).plan(request, context);
    }
}
