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
import org.ctys.spi.ViewVnc;
import org.ctys.stack.Consoles;

/**
 * CONSOLE: of PM CREATE after Wake-on-LAN (or after an IPMI power-on other than SOL's): the plan
 * that brings the machines up, then the console. A console that owns the terminal (CLI, SOL,
 * SERIAL) is the plan's last step and is attached only when the machine came up; a window (XTERM,
 * GTERM) or a VNC viewer is a row of its own, opened once its machine's row ended well.
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
            case XTERM, GTERM -> detached(up, "a window each", l -> {
                OpenWindow w = (OpenWindow) Consoles.window(kind, l, machine.apply(l), request.options(), context);
                return new Row(w.target(), w);
            });
            case VNC -> detached(up, "a VNC viewer each", l -> {
                ViewVnc v = Consoles.vnc(l, machine.apply(l), request.options(), context);
                return new Row(v.target(), v);
            });
            case SERIAL -> attached(up, Consoles.serialLine(label, machine.apply(label), context), "its serial line");
            case NONE -> up;
        };
    }

    private static Plan attached(Plan up, Step console, String what) {
        return new Plan(up.title() + ", then " + what, up.targets(), new Step.Sequence(List.of(up.root(), console)), up.timeouts());
    }

    /** A console opened beside its machine's row: {@code row} is its own row in the report. */
    private record Row(String row, Step step) {}

    /** A console each that does not own the terminal (a window, a viewer), opened once its machine's row ended well. */
    private static Plan detached(Plan up, String what, Function<String, Row> open) {
        List<String> rows = new ArrayList<>(up.targets());
        List<Step> consoles = new ArrayList<>();
        for (String label : up.targets()) {
            Row r = open.apply(label);
            rows.add(r.row());
            consoles.add(new After(r.row(), List.of(label), false, "opened", r.step()));
        }
        return new Plan(up.title() + ", then " + what, rows, new Step.Sequence(List.of(up.root(), new Step.Parallel(0, consoles))),
                up.timeouts());
    }
}
