package org.ctys.plugins.pm;

import java.util.List;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Plugin;

/** Physical machines: wake them (Wake-on-LAN, IPMI) and wait until they answer; take them down; list them. */
public final class PmPlugin implements Plugin {

    @Override
    public String type() { return "PM"; }

    @Override
    public String summary() { return "physical machines: wake or power on, wait until up, power off, reboot, list"; }

    @Override
    public List<ActionSpec> actions() { return PmActions.ALL; }

    @Override
    public String details() { return PmActions.DETAILS; }

    @Override
    public Plan plan(ActionRequest request, PlanContext context) {
        return switch (request.actionName()) {
            case "CREATE" -> new CreatePlanner(request, context).plan();
            case "CANCEL" -> CancelPlanner.plan(request, context);
            case "LIST" -> ListPlanner.plan(request, context);
            default -> throw new IllegalArgumentException("PM has no planner for " + request.actionName());
        };
    }
}
