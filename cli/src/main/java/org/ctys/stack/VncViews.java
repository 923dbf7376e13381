package org.ctys.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ctys.exit.CtysException;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Machine;
import org.ctys.inventory.SecretRef;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Remotes;
import org.ctys.spi.Target;
import org.ctys.spi.ViewVnc;

/**
 * How a VNC display is planned, once for every command that shows one: {@code -t vnc -a create}
 * and CONSOLE:VNC of PM, KVM and XEN CREATE get the same {@link ViewVnc} for the same machine or
 * guest (the finder, the viewer, the password, the detached keeper's command line).
 */
public final class VncViews {
    /** Names the viewer to use instead of xtigervncviewer or vncviewer. */
    public static final String VIEWER_VARIABLE = "CTYS_VNCVIEWER";

    private VncViews() {}

    /**
     * The view of {@code t}'s display: a machine's own VNC server, or a guest's (HOST[GUEST]) display
     * at its hypervisor. Checked here, before anything is sent: a local host (VNC is reached over
     * SSH), the viewer.
     *
     * @param report           the report's row the view is recorded under
     * @param display          the machine's display (DISPLAY:), or null for the only one that listens
     * @param start            start a server on the machine when none listens
     * @param foreground       wait for the viewer; false: a detached keeper holds the forward
     * @param keeperSuboptions -t vnc CREATE's suboptions the keeper repeats (FOREGROUND is added)
     */
    public static ViewVnc view(String report, Target t, Integer display, boolean start, boolean foreground,
                               List<String> keeperSuboptions, GenericOptions options, PlanContext context) {
        boolean guest = !t.stack().isEmpty();
        Target host = guest ? new Target(t.name(), t.user(), t.stack().subList(0, t.stack().size() - 1), t.machine(), t.timeout()) : t;
        if (host.isLocal()) {
            throw CtysException.usage("'" + t.label() + "': VNC is reached over SSH; on this host run the viewer itself"
                    + " (xtigervncviewer :<n>)");
        }
        String viewer = viewer(context);
        ViewVnc.Finder finder = guest ? guestFinder(t, host, context) : new ViewVnc.Listening(display);
        Machine shown = guest ? context.machine(t.stack().get(t.stack().size() - 1)).orElse(null) : t.machine();
        SecretRef password = shown == null ? null : shown.vncPassword();
        return new ViewVnc(report, Remotes.of(host, options, context), finder, start, viewer, password, !foreground,
                foreground ? List.of() : keeperArgs(keeperSuboptions, options, context, t));
    }

    /** {@code virsh vncdisplay} on a KVM host, xl's configuration on a XEN one. */
    private static ViewVnc.Finder guestFinder(Target guest, Target host, PlanContext context) {
        String domain = guest.stack().get(guest.stack().size() - 1);
        Machine hostMachine = VmHost.machineOf(host, context);
        boolean xen = hostMachine != null && hostMachine.hypervisor() == Hypervisor.XEN;
        String why = Dialect.notByName(xen ? new Xl() : new Virsh(), domain);
        if (why != null) {
            // another guest's screen would be shown under this one's name
            throw CtysException.usage("'" + guest.label() + "': " + why + ": ctys does not look its display up by name; rename it");
        }
        if (xen) return new ViewVnc.Xl(domain);
        String uri = hostMachine != null && hostMachine.uri() != null ? hostMachine.uri() : VmHost.DEFAULT_URI;
        return new ViewVnc.Virsh(uri, domain);
    }

    /** CTYS_VNCVIEWER, else xtigervncviewer, else vncviewer; none is a configuration error, before anything starts. */
    static String viewer(PlanContext context) {
        Optional<String> chosen = context.environment(VIEWER_VARIABLE).filter(s -> !s.isBlank());
        if (chosen.isPresent()) {
            String v = chosen.get();
            Optional<Path> found = v.contains("/") ? Optional.of(Path.of(v)).filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                    : context.program(v);
            return found.map(Path::toString).orElseThrow(() -> CtysException.config(VIEWER_VARIABLE + "=" + v
                    + " is not an executable program" + (v.contains("/") ? "" : " on PATH")
                    + " (xtigervncviewer is in the Debian package tigervnc-viewer)"));
        }
        for (String name : List.of("xtigervncviewer", "vncviewer")) {
            Optional<Path> p = context.program(name);
            if (p.isPresent()) return p.get().toString();
        }
        throw CtysException.config("no VNC viewer: neither xtigervncviewer nor vncviewer is on PATH (Debian package"
                + " tigervnc-viewer); " + VIEWER_VARIABLE + " names another");
    }

    /** The ctys that holds the forward for a detached viewer: -t vnc CREATE of the same display, FOREGROUND. */
    private static List<String> keeperArgs(List<String> suboptions, GenericOptions options, PlanContext context, Target t) {
        List<String> a = new ArrayList<>();
        context.inventorySource().ifPresent(inv -> a.addAll(List.of("--inventory", Path.of(inv).toAbsolutePath().toString())));
        a.addAll(options.asArguments());
        List<String> sub = new ArrayList<>(suboptions);
        sub.add("FOREGROUND");
        a.addAll(List.of("-t", "vnc", "-a", "create=" + String.join(",", sub), "--", t.label()));
        return a;
    }

    /**
     * A suboption value as the grammar reads it back ({@link org.ctys.grammar.ActionArgument#escape}):
     * a backslash escapes too, so doubling only "," ":" "%" let a label ending in one swallow the
     * keeper's next suboption (l:x\\,display:3 became the label "x,DISPLAY:3" and display 3 was lost).
     */
    public static String escape(String value) {
        return org.ctys.grammar.ActionArgument.escape(value);
    }
}
