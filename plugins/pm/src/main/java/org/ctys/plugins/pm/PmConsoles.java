package org.ctys.plugins.pm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.ctys.inventory.BmcSettings;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.After;
import org.ctys.spi.AttachSol;
import org.ctys.spi.OpenWindow;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Step;
import org.ctys.spi.Target;
import org.ctys.stack.Consoles;

/**
 * CONSOLE: of PM CREATE after Wake-on-LAN (or after an IPMI power-on other than SOL's): the plan
 * that brings the machines up, then the console. A console that owns the terminal (CLI, SOL) is
 * the plan's last step and is attached only when the machine came up; a window (XTERM, GTERM) is a
 * row of its own, opened once its machine's row ended well.
 */
final class PmConsoles {

    private PmConsoles() {}

    /** @param machine the machine a console opens on, by its report label */
    static Plan then(Plan up, Consoles.Kind kind, Function<String, Target> machine, ActionRequest request, PlanContext context) {
        List<String> labels = up.targets();
        if (kind == Consoles.Kind.NONE || labels.isEmpty()) return up;
        Consoles.oneTerminal(kind, labels);
        String label = labels.get(0);
        return switch (kind) {
            case CLI -> attached(up, Consoles.shell(label, machine.apply(label), request.options(), context), "a shell on " + label);
            case SOL -> {
                Target t = machine.apply(label);
                BmcSettings bmc = context.bmc(t, "CONSOLE:SOL");
                yield attached(up, new AttachSol(label, bmc, false), "its Serial-over-LAN console");
            }
            case XTERM, GTERM -> windows(up, kind, machine, request, context);
            // refused with a usage error until the VNC and SERIAL types plug their steps in there
            case VNC -> attached(up, Consoles.vnc(label, "CLI|XTERM|GTERM|SOL|NONE"), "its VNC console");
            case SERIAL -> attached(up, Consoles.serialLine(label), "its serial line");
            case NONE -> up;
        };
    }

    private static Plan attached(Plan up, Step console, String what) {
        return new Plan(up.title() + ", then " + what, up.targets(), new Step.Sequence(List.of(up.root(), console)), up.timeouts());
    }

    private static Plan windows(Plan up, Consoles.Kind kind, Function<String, Target> machine, ActionRequest request,
                                PlanContext context) {
        List<String> rows = new ArrayList<>(up.targets());
        List<Step> windows = new ArrayList<>();
        for (String label : up.targets()) {
            OpenWindow w = (OpenWindow) Consoles.window(kind, label, machine.apply(label), request.options(), context);
            rows.add(w.target());
            windows.add(new After(w.target(), List.of(label), false, "opened", w));
        }
        return new Plan(up.title() + ", then a window each", rows, new Step.Sequence(List.of(up.root(), new Step.Parallel(0, windows))),
                up.timeouts());
    }
}
