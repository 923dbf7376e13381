package org.ctys.plugins.pm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctys.exit.CtysException;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.BmcPower;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Step;
import org.ctys.spi.Suboptions;
import org.ctys.spi.Target;

/** Plans PM CANCEL through the BMCs: every machine at once (at most --parallel), each on its own. */
final class CancelPlanner {
    static final Duration DEFAULT_GRACE = Duration.ofMinutes(2);

    private CancelPlanner() {}

    static Plan plan(ActionRequest request, PlanContext context) {
        Suboptions sub = request.suboptions();
        if (!sub.has("IPMI")) {
            throw CtysException.usage("CANCEL over SSH (a shutdown on the machine) " + PmActions.NOT_YET
                    + "; valid: cancel=ipmi[,reboot|reset][,force][,timeout:<d>]");
        }
        Bmc.needTargets(request.targets(), "take down");
        boolean force = sub.has("FORCE");
        BmcPower.Procedure procedure = sub.has("RESET") ? BmcPower.Procedure.RESET
                : sub.has("REBOOT") ? (force ? BmcPower.Procedure.CYCLE : BmcPower.Procedure.REBOOT)
                : force ? BmcPower.Procedure.OFF_HARD : BmcPower.Procedure.OFF;
        Duration grace = sub.duration("TIMEOUT").orElse(DEFAULT_GRACE);
        if (sub.has("TIMEOUT") && (force || procedure == BmcPower.Procedure.RESET)) {
            throw CtysException.usage("TIMEOUT bounds a soft off, which " + (force ? "FORCE" : "RESET")
                    + " does not do; valid: one of them without TIMEOUT");
        }
        Map<String, Step> steps = new LinkedHashMap<>();
        Map<String, Duration> timeouts = new LinkedHashMap<>();
        for (Target t : request.targets()) {
            var bmc = context.bmc(t, "PM CANCEL");
            if (!force && !t.machine().guests().isEmpty()) {
                throw CtysException.usage("'" + t.name() + "' runs guests (" + String.join(", ", t.machine().guests().keySet())
                        + ") by the inventory; shutting them down first " + PmActions.NOT_YET
                        + "; valid: cancel=ipmi,force (the BMC takes everything down at once)");
            }
            boolean soft = procedure == BmcPower.Procedure.OFF || procedure == BmcPower.Procedure.REBOOT;
            steps.putIfAbsent(t.name(), new BmcPower(t.name(), bmc, procedure, null, soft ? grace : null, true, "NONE"));
            if (t.timeout() != null) timeouts.put(t.name(), t.timeout());
        }
        String verb = switch (procedure) {
            case REBOOT, CYCLE -> "reboot";
            case RESET -> "reset";
            default -> "power off";
        };
        int n = steps.size();
        return new Plan("ctys -t PM -a CANCEL: " + verb + " " + n + (n == 1 ? " machine" : " machines") + " through their BMCs",
                new ArrayList<>(steps.keySet()), new Step.Parallel(0, List.copyOf(steps.values())), timeouts);
    }
}
