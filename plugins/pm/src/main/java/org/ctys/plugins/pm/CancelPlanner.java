package org.ctys.plugins.pm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctys.exit.CtysException;
import org.ctys.inventory.BmcSettings;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Machine;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.BmcPower;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Step;
import org.ctys.spi.Suboptions;
import org.ctys.spi.Target;
import org.ctys.stack.Cancel;
import org.ctys.stack.Dialect;
import org.ctys.stack.Mode;
import org.ctys.stack.Stacks;
import org.ctys.stack.StackWalk;
import org.ctys.stack.VmHost;
import org.ctys.stack.WhereInstalled;

/**
 * Plans PM CANCEL: what runs on each machine goes down first (its guests, and theirs, deepest
 * first, each confirmed off), then, with SELF, the machine itself, over SSH or through its BMC.
 * A machine that only has a BMC and no guests goes down through the BMC alone, as before.
 */
final class CancelPlanner {
    static final Duration DEFAULT_GRACE = Duration.ofMinutes(2);

    private CancelPlanner() {}

    static Plan plan(ActionRequest request, PlanContext context) {
        Suboptions sub = request.suboptions();
        Bmc.needTargets(request.targets(), "take down");
        boolean ipmi = sub.has("IPMI");
        boolean force = sub.has("FORCE");
        boolean self = sub.has("SELF") || ipmi || sub.has("RESET") || (sub.has("INIT") && initLevel(sub) != -1);
        checkCombinations(sub, ipmi, force, self);
        Duration grace = sub.duration("TIMEOUT").orElse(DEFAULT_GRACE);
        Map<String, Step> steps = new LinkedHashMap<>();
        Map<String, Duration> timeouts = new LinkedHashMap<>();
        for (Target t : request.targets()) {
            Step s = ipmi && (force || !hasGuests(t)) ? bmcOnly(t, sub, context, grace) : stack(t, request, context, grace, self);
            steps.putIfAbsent(t.display(), s);
            if (t.timeout() != null) timeouts.put(t.display(), t.timeout());
        }
        int n = steps.size();
        String label = sub.text("LABEL").map(l -> " (" + l + ")").orElse("");
        return new Plan("ctys -t PM -a CANCEL" + label + ": " + what(sub, self) + " " + n + (n == 1 ? " machine" : " machines"),
                new ArrayList<>(steps.keySet()), new Step.Parallel(0, List.copyOf(steps.values())), timeouts);
    }

    private static String what(Suboptions sub, boolean self) {
        String guests = sub.has("FORCE") && !sub.has("IPMI") ? "destroy the guests of" : "shut down the guests of";
        if (!self) return guests;
        int level = initLevel(sub);
        if (level >= 1 && level <= 5) return guests + " and switch to run level " + level + ":";
        return guests + " and " + (sub.has("REBOOT") || initLevel(sub) == 6 ? "reboot" : sub.has("RESET") ? "reset"
                : sub.has("SUSPEND") ? "suspend" : "power off");
    }

    private static void checkCombinations(Suboptions sub, boolean ipmi, boolean force, boolean self) {
        if (sub.has("TIMEOUT") && ipmi && (force || sub.has("RESET"))) {
            throw CtysException.usage("TIMEOUT bounds a soft off, which " + (force ? "FORCE" : "RESET")
                    + " does not do; valid: one of them without TIMEOUT");
        }
        if (sub.has("PAUSE") && self) {
            throw CtysException.usage("PAUSE stops the guests' CPUs; a physical machine cannot be paused: valid: cancel=pause (without SELF),"
                    + " or cancel=suspend,self");
        }
        if (ipmi && (sub.has("SUSPEND") || sub.has("PAUSE") || sub.has("INIT"))) {
            throw CtysException.usage("a BMC powers off, reboots or resets; " + (sub.has("INIT") ? "INIT" : sub.has("SUSPEND") ? "SUSPEND"
                    : "PAUSE") + " happens on the machine itself: valid: without IPMI");
        }
        if ((sub.has("BROADCAST") || sub.has("IF")) && !sub.has("WOL")) {
            throw CtysException.usage((sub.has("IF") ? "IF" : "BROADCAST") + " says how the machine is woken again; valid: with WOL");
        }
        if (sub.has("WOL") && !self) {
            throw CtysException.usage("WOL arms the network card for a wake after the machine halts; without SELF it stays up:"
                    + " valid: cancel=self,wol");
        }
    }

    /** INIT:<n> as a number, or -1 when not given (the grammar allows only 0 to 6). */
    static int initLevel(Suboptions sub) {
        return sub.text("INIT").map(Integer::parseInt).orElse(-1);
    }

    /** The inventory says the machine runs guests, or has a hypervisor: they are looked for over SSH first. */
    private static boolean hasGuests(Target t) {
        Machine m = t.machine();
        return m != null && (!m.guests().isEmpty() || m.hypervisor() != Hypervisor.NONE);
    }

    /** Through the BMC alone: a machine without guests, or FORCE (the BMC stops everything at once). */
    private static Step bmcOnly(Target t, Suboptions sub, PlanContext context, Duration grace) {
        BmcSettings bmc = context.bmc(t, "PM CANCEL");
        BmcPower.Procedure p = procedure(sub);
        boolean soft = p == BmcPower.Procedure.OFF || p == BmcPower.Procedure.REBOOT;
        return new BmcPower(t.display(), bmc, p, null, soft ? grace : null, true, "NONE");
    }

    static BmcPower.Procedure procedure(Suboptions sub) {
        boolean force = sub.has("FORCE");
        return sub.has("RESET") ? BmcPower.Procedure.RESET
                : sub.has("REBOOT") ? (force ? BmcPower.Procedure.CYCLE : BmcPower.Procedure.REBOOT)
                : force ? BmcPower.Procedure.OFF_HARD : BmcPower.Procedure.OFF;
    }

    /** Guests first, over SSH; then the machine's own step. */
    private static Step stack(Target t, ActionRequest request, PlanContext context, Duration grace, boolean self) {
        Suboptions sub = request.suboptions();
        if (!t.stack().isEmpty()) {
            throw CtysException.usage("'" + t.display() + "' is a guest; PM CANCEL takes a physical machine and its guests down: valid: "
                    + t.name() + ", or ctys -t kvm|xen -a cancel " + t.display());
        }
        Machine m = t.machine();
        Dialect dialect = m == null || m.hypervisor() == Hypervisor.NONE ? new WhereInstalled(new org.ctys.stack.Virsh())
                : Stacks.dialect(m.hypervisor()).orElseThrow();
        VmHost host = VmHost.of(t, dialect, request.options(), context);
        Mode guestMode = sub.has("SUSPEND") ? Mode.SUSPEND : sub.has("PAUSE") ? Mode.PAUSE
                : sub.has("REBOOT") && !self ? Mode.REBOOT : Mode.POWEROFF;
        boolean force = sub.has("FORCE");
        Cancel cancel = new Cancel(guestMode, grace, false, force, null);
        StackWalk walk = new StackWalk(new Stacks(request.options(), context), cancel);
        SelfSteps own = new SelfSteps(t, host, sub, grace, self, walk, request, context);
        Step walked = walk.walk(host, host.label(), cancel, own::after);
        List<Step> all = new ArrayList<>(own.before());
        all.add(walked);
        return all.size() == 1 ? walked : new Step.Sequence(all);
    }
}
