package org.ctys.plugins.vnc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ctys.exit.CtysException;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Machine;
import org.ctys.inventory.SecretRef;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Plugin;
import org.ctys.spi.Remotes;
import org.ctys.spi.SuboptionSpec;
import org.ctys.spi.Target;
import org.ctys.spi.ValueKind;
import org.ctys.spi.ViewVnc;
import org.ctys.stack.VmHost;

/** A machine's (or a guest's) VNC display in a local viewer, through the SSH connection and its hops. */
public final class VncPlugin implements Plugin {
    static final String VIEWER_VARIABLE = "CTYS_VNCVIEWER";

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
        Target host = guest ? new Target(t.name(), t.user(), t.stack().subList(0, t.stack().size() - 1), t.machine(), t.timeout()) : t;
        if (host.isLocal()) {
            throw CtysException.usage("'" + t.label() + "': VNC is reached over SSH; on this host run the viewer itself"
                    + " (xtigervncviewer :<n>)");
        }
        String viewer = viewer(context);
        ViewVnc.Finder finder = guest ? guestFinder(t, host, context) : new ViewVnc.Listening(display);
        boolean foreground = request.suboptions().has("FOREGROUND");
        SecretRef password = password(guest ? context.machine(t.stack().get(t.stack().size() - 1)).orElse(null) : t.machine());
        ViewVnc step = new ViewVnc(t.display(), Remotes.of(host, request.options(), context), finder,
                request.suboptions().has("START"), viewer, password, !foreground,
                foreground ? List.of() : keeperArgs(request, context, t));
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

    /** {@code virsh vncdisplay} on a KVM host, xl's configuration on a XEN one. */
    private static ViewVnc.Finder guestFinder(Target guest, Target host, PlanContext context) {
        String domain = guest.stack().get(guest.stack().size() - 1);
        Machine hostMachine = VmHost.machineOf(host, context);
        if (hostMachine != null && hostMachine.hypervisor() == Hypervisor.XEN) return new ViewVnc.Xl(domain);
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

    /** The inventory's vnc password of the machine (or guest), when it has one. */
    private static SecretRef password(Machine m) {
        return m == null ? null : m.vncPassword();
    }

    /** The ctys that holds the forward for a detached viewer: the same command, FOREGROUND. */
    private static List<String> keeperArgs(ActionRequest request, PlanContext context, Target t) {
        List<String> a = new ArrayList<>();
        context.inventorySource().ifPresent(inv -> a.addAll(List.of("--inventory", Path.of(inv).toAbsolutePath().toString())));
        a.addAll(passedOn(request.options()));
        List<String> sub = new ArrayList<>();
        request.suboptions().text("LABEL").ifPresent(l -> sub.add("L:" + escape(l)));
        request.suboptions().text("DISPLAY").ifPresent(d -> sub.add("DISPLAY:" + escape(d.strip())));
        for (String flag : List.of("START", "REUSE", "CONNECT")) if (request.suboptions().has(flag)) sub.add(flag);
        sub.add("FOREGROUND");
        a.addAll(List.of("-t", "vnc", "-a", "create=" + String.join(",", sub), "--", t.label()));
        return a;
    }

    /** A suboption value as the grammar reads it back: ",", ":" and "%" doubled. */
    static String escape(String value) {
        return value.replace(",", ",,").replace(":", "::").replace("%", "%%");
    }

    /** The generic options the keeping ctys must see as this one saw them. */
    static List<String> passedOn(GenericOptions o) {
        List<String> a = new ArrayList<>();
        if (o.user() != null) a.addAll(List.of("-l", o.user()));
        if (!o.ssh().jumps().isEmpty()) a.addAll(List.of("-J", String.join(",", o.ssh().jumps())));
        if (o.ssh().config() != null) a.addAll(List.of("-F", o.ssh().config().toAbsolutePath().toString()));
        if (o.ssh().acceptNewHostKeys()) a.add("--accept-new-host-keys");
        if (o.debug() > 0) a.addAll(List.of("-d", String.valueOf(o.debug())));
        return a;
    }
}
