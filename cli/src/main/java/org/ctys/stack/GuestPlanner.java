package org.ctys.stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Machine;
import org.ctys.spi.ActionRequest;
import org.ctys.exit.CtysException;
import org.ctys.spi.ControlChars;
import org.ctys.spi.Note;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Step;
import org.ctys.spi.Suboptions;
import org.ctys.spi.Target;
import org.ctys.spi.Verdict;

/**
 * Plans the actions of a guest type (KVM, XEN): which host each target names, which guest, and
 * the walk or the listing that runs there. Only the dialect differs between the two types.
 */
public final class GuestPlanner {
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    private final Hypervisor kind;
    private final Dialect dialect;

    public GuestPlanner(Hypervisor kind, Dialect dialect) {
        this.kind = kind;
        this.dialect = dialect;
    }

    /** A host and, when the target or L: names one, the guest on it. */
    record Aim(Target host, String guest) {}

    public Plan plan(ActionRequest request, PlanContext context) {
        return switch (request.actionName()) {
            case "CANCEL" -> cancel(request, context);
            case "CREATE" -> new GuestCreate(kind, dialect).plan(request, context, aims(request, context, true));
            case "LIST", "ENUMERATE" -> new GuestListing(kind, dialect).plan(request, context, hosts(request, context));
            default -> throw new IllegalArgumentException(kind + " has no planner for " + request.actionName());
        };
    }

    private String type() { return kind.name(); }

    /**
     * The host and guest of each target: {@code lab01[web1]} names web1 on lab01, and a host with L:
     * names that guest on it. Without either, a guest is required unless {@code allowAll}.
     */
    List<Aim> aims(ActionRequest request, PlanContext context, boolean needGuest) {
        Suboptions sub = request.suboptions();
        String label = sub.text("LABEL").orElse(null);
        if (label != null) checkGuestName(label);
        if (request.targets().isEmpty()) {
            throw CtysException.usage("no host given: name the host the guests run on (localhost for this one), e.g. ctys -t "
                    + type().toLowerCase() + " -a " + request.actionName().toLowerCase() + "=l:web1 lab01");
        }
        List<Aim> out = new ArrayList<>();
        for (Target t : request.targets()) {
            if (label != null) {
                out.add(new Aim(t, label));
            } else if (!t.stack().isEmpty()) {
                List<String> levels = t.stack();
                String guest = levels.get(levels.size() - 1);
                checkGuestName(guest);
                out.add(new Aim(new Target(t.name(), t.user(), levels.subList(0, levels.size() - 1), t.machine(), t.timeout()), guest));
            } else if (needGuest && !sub.has("FILE")) {
                throw CtysException.usage("which guest of '" + t.display() + "'? valid: l:<guest>" + (request.actionName().equals("CANCEL")
                        ? " or all" : " or f:<config>") + ", or a stack address such as " + t.display() + "[web1]");
            } else {
                out.add(new Aim(t, null));
            }
        }
        return out;
    }

    /** Guest names become words of commands on the host: quoted there, but never with control characters. */
    static void checkGuestName(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (ControlChars.isControl(name.charAt(i))) {
                throw CtysException.usage("bad guest name '" + ControlChars.escape(name) + "': control characters are not allowed");
            }
        }
    }

    /** The hosts to list: the targets, else every machine of the inventory with this hypervisor. */
    List<Target> hosts(ActionRequest request, PlanContext context) {
        if (!request.targets().isEmpty()) return request.targets();
        List<Target> out = new ArrayList<>();
        for (Machine m : context.machines()) {
            if (m.parent() == null) hostsIn(m, m, List.of(), out);
        }
        // none is an empty listing, not an error: -T ALL asks every type, and most sites run one hypervisor
        return out;
    }

    /** A machine and, as stack addresses (lab01[c1]), the guests below it that are hosts of this kind themselves. */
    private void hostsIn(Machine top, Machine m, List<String> stack, List<Target> out) {
        if (m.hypervisor() == kind) out.add(new Target(top.name(), null, stack, top, null));
        for (Machine g : m.guests().values()) {
            List<String> deeper = new ArrayList<>(stack);
            deeper.add(g.name());
            hostsIn(top, g, deeper, out);
        }
    }

    private Plan cancel(ActionRequest request, PlanContext context) {
        Suboptions sub = request.suboptions();
        Mode mode = sub.has("REBOOT") ? Mode.REBOOT : sub.has("RESET") ? Mode.RESET : sub.has("SUSPEND") ? Mode.SUSPEND
                : sub.has("RESUME") ? Mode.RESUME : sub.has("PAUSE") ? Mode.PAUSE : Mode.POWEROFF;
        boolean force = sub.has("FORCE");
        if (force && mode != Mode.POWEROFF && mode != Mode.REBOOT) {
            throw CtysException.usage("FORCE destroys a guest that does not shut down in time, which " + mode.name()
                    + " does not do; valid: FORCE with POWEROFF or REBOOT");
        }
        Duration timeout = sub.duration("TIMEOUT").orElse(DEFAULT_TIMEOUT);
        Stacks stacks = new Stacks(request.options(), context);
        Map<String, Step> walks = new LinkedHashMap<>();
        Map<String, Duration> bounds = new LinkedHashMap<>();
        for (Aim a : aims(request, context, !sub.has("ALL"))) {
            VmHost host = VmHost.of(a.host(), dialect, request.options(), context);
            Cancel c = new Cancel(mode, timeout, force, false, a.guest());
            StackWalk walk = new StackWalk(stacks, c);
            String target = a.guest() == null ? host.label() : host.guestLabel(a.guest());
            Step steps = walk.walk(host, target, c, (acted, skipped) -> summary(host.label(), mode, acted, skipped));
            walks.putIfAbsent(target, steps);
            if (a.host().timeout() != null) bounds.put(target, a.host().timeout());
        }
        int n = walks.size();
        return new Plan("ctys -t " + type() + " -a CANCEL: " + mode.name().toLowerCase() + " " + n + (n == 1 ? " target" : " targets")
                + " (" + dialect.program() + " on each host, confirmed by its state)", new ArrayList<>(walks.keySet()),
                new Step.Parallel(0, List.copyOf(walks.values())), bounds);
    }

    /** The host's line once its guests are handled. */
    static Step summary(String host, Mode mode, List<Guest> acted, List<Guest> skipped) {
        return new Note(host, Verdict.done(acted.isEmpty() ? "nothing-to-do" : mode.done().replace(' ', '-'), summaryText(mode, acted, skipped)),
                Map.of());
    }

    /** "2 guests shut down: web1, db1; left as they were: old (shut off)". */
    public static String summaryText(Mode mode, List<Guest> acted, List<Guest> skipped) {
        StringBuilder b = new StringBuilder();
        b.append(acted.isEmpty() ? "no guest to " + mode.name().toLowerCase() : acted.size() + (acted.size() == 1 ? " guest " : " guests ")
                + mode.done() + ": " + String.join(", ", acted.stream().map(Guest::name).toList()));
        if (!skipped.isEmpty()) {
            b.append("; left as they were: ").append(String.join(", ", skipped.stream().map(g -> g.name() + " (" + g.state().text() + ")")
                    .toList()));
        }
        return b.toString();
    }
}
