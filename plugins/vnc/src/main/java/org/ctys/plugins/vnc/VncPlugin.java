package org.ctys.plugins.vnc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ctys.exit.CtysException;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Plugin;
import org.ctys.spi.SuboptionSpec;
import org.ctys.spi.Target;
import org.ctys.spi.ValueKind;
import org.ctys.spi.ViewVnc;
import org.ctys.stack.VncViews;

/** A machine's (or a guest's) VNC display in a local viewer, through the SSH connection and its hops. */
public final class VncPlugin implements Plugin {
    static final ActionSpec CREATE = new ActionSpec("CREATE",
            "show the VNC display of one machine, or of a guest (HOST[GUEST]), in a local viewer, its port forwarded "
                    + "through the SSH connection; ctys returns once the viewer runs",
            List.of(SuboptionSpec.of("LABEL", "<label>", "the session's name in the report", ValueKind.TEXT)
                            .aliases("L").build(),
                    SuboptionSpec.of("DISPLAY", "<n>", "the machine's VNC display 0..99 (port 5900+n); "
                            + "without it, the only one that listens", ValueKind.TEXT).build(),
                    SuboptionSpec.flag("START", "start a VNC server (Xtigervnc -localhost, the user's ~/.vnc/passwd) "
                            + "when none listens; it stays running").build(),
                    SuboptionSpec.flag("REUSE", "use a running server, else start one if START is given (the default)").build(),
                    SuboptionSpec.flag("CONNECT", "only a server that already runs; never start one").build(),
                    SuboptionSpec.flag("FOREGROUND", "stay until the viewer is closed instead of returning at once")
                            .aliases("FG").build()),
            List.of(Set.of("REUSE", "CONNECT"), Set.of("CONNECT", "START")), Map.of(),
            "one machine, or one guest as HOST[GUEST]");

    @Override
    public String type() { return "VNC"; }

    @Override
    public String summary() { return "a machine's or a guest's VNC display in a local viewer, forwarded over SSH"; }

    @Override
    public String details() { return VncDetails.TEXT; }

    @Override
    public List<ActionSpec> actions() { return List.of(CREATE); }

    @Override
    public Plan plan(ActionRequest request, PlanContext context) {
        List<Target> targets = request.targets();
        if (targets.size() != 1) {
            throw CtysException.usage(targets.isEmpty()
                    ? "no target: give the machine (lab01) or the guest (lab01[web1]) whose display to show"
                    : "VNC CREATE shows one display, not " + targets.size() + "; run it once per target");
        }
        Target t = targets.get(0);
        Integer display = display(request);
        boolean guest = !t.stack().isEmpty();
        if (guest && display != null) {
            throw CtysException.usage("DISPLAY:" + display + " picks a server of a machine; the display of the guest "
                    + t.display() + " is its hypervisor's");
        }
        if (guest && request.suboptions().has("START")) {
            throw CtysException.usage("START starts a server on a machine; the guest " + t.display()
                    + " has its hypervisor's display; valid: " + t.name());
        }
        boolean foreground = request.suboptions().has("FOREGROUND");
        ViewVnc step = VncViews.view(t.display(), t, display, request.suboptions().has("START"), foreground,
                keeperSuboptions(request), request.options(), context);
        String label = request.suboptions().text("LABEL").map(l -> " \"" + l + "\"").orElse("");
        return new Plan("ctys -t VNC -a CREATE: VNC display" + label + " of " + t.display(), List.of(t.display()), step);
    }

    private static Integer display(ActionRequest request) {
        Optional<String> d = request.suboptions().text("DISPLAY");
        if (d.isEmpty()) return null;
        String s = d.get().strip();
        if (!s.matches("\\d{1,2}")) {
            throw CtysException.usage("suboption 'DISPLAY:" + d.get() + "': not a display number; valid: 0 to "
                    + ViewVnc.MAX_DISPLAY + " (port 5900+n)");
        }
        return Integer.parseInt(s);
    }

    /** What the detached keeper repeats of this command line (it adds FOREGROUND). */
    private static List<String> keeperSuboptions(ActionRequest request) {
        List<String> sub = new ArrayList<>();
        request.suboptions().text("LABEL").ifPresent(l -> sub.add("L:" + VncViews.escape(l)));
        request.suboptions().text("DISPLAY").ifPresent(d -> sub.add("DISPLAY:" + VncViews.escape(d.strip())));
        for (String flag : List.of("START", "REUSE", "CONNECT")) if (request.suboptions().has(flag)) sub.add(flag);
        return sub;
    }
}
