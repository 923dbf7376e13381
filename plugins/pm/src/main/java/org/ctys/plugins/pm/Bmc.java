package org.ctys.plugins.pm;

import java.util.List;
import org.ctys.exit.CtysException;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Target;

/** What the planners that go through BMCs share; the BMC itself comes from {@link PlanContext#bmc}. */
final class Bmc {

    private Bmc() {}

    static void needTargets(List<Target> targets, String what) {
        if (targets.isEmpty()) {
            throw CtysException.usage("no machine to " + what + ": give targets (lab01 lab[02-09] @group)");
        }
    }
}
