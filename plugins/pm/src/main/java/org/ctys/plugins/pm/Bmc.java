package org.ctys.plugins.pm;

import java.util.List;
import org.ctys.inventory.BmcSettings;
import org.ctys.spi.CtysException;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Target;

/** The BMC of a target, as the inventory gives it; a target without one cannot be reached by IPMI. */
final class Bmc {

    private Bmc() {}

    static BmcSettings of(Target t, PlanContext context, String action) {
        if (!t.stack().isEmpty()) {
            throw CtysException.usage("'" + t.label() + "' is a stack address; " + action + " through a BMC acts on physical"
                    + " machines, valid: '" + t.name() + "'");
        }
        if (t.machine() == null || t.machine().bmc() == null) {
            throw CtysException.config("no BMC known for '" + t.name() + "': give it a bmc: entry (address, user,"
                    + " password-file) in the inventory (" + context.inventorySource().orElse("none in use") + ")");
        }
        return t.machine().bmc();
    }

    static void needTargets(List<Target> targets, String what) {
        if (targets.isEmpty()) {
            throw CtysException.usage("no machine to " + what + ": give targets (lab01 lab[02-09] @group)");
        }
    }
}
