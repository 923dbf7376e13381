package org.ctys.stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ctys.exit.CtysException;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Machine;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.Discover;
import org.ctys.spi.Note;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Remotes;
import org.ctys.spi.Step;
import org.ctys.spi.Suboptions;
import org.ctys.spi.Target;
import org.ctys.spi.Verdict;
import org.ctys.spi.WaitForLogin;
import org.ctys.spi.WaitUntilUp;

/** Plans CREATE of a guest type: start a guest the host knows (or create one from a file), confirm it runs, wait until it answers. */
final class GuestCreate {
    static final int DEFAULT_TRIES = 60;
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    static final Duration TRY = Duration.ofSeconds(2);
    static final Duration SSH_TRY = Duration.ofSeconds(10);
    private final Hypervisor kind;
    private final Dialect dialect;
    /** CONSOLE: of the request; an SSH console also waits until the guest takes SSH logins. */
    private Consoles.Kind console = Consoles.Kind.NONE;

    GuestCreate(Hypervisor kind, Dialect dialect) {
        this.kind = kind;
        this.dialect = dialect;
    }

    Plan plan(ActionRequest request, PlanContext context, List<GuestPlanner.Aim> aims) {
        Suboptions sub = request.suboptions();
        console = Consoles.of(request);
        Duration bound = sub.duration("TIMEOUT").orElse(GuestPlanner.DEFAULT_TIMEOUT);
        String file = sub.text("FILE").orElse(null);
        if (file != null) GuestPlanner.checkGuestName(file);
        if (file != null && aims.stream().anyMatch(a -> a.guest() != null)) {
            throw CtysException.usage("F:<config> creates the guest its file names: give the host alone, not a stack address");
        }
        if (console != Consoles.Kind.NONE && file != null) {
            throw CtysException.usage("CONSOLE:" + console + " with F:<config>: the guest's name is known only once it is created;"
                    + " valid: L:<guest> with CONSOLE:, or F:<config> without it");
        }
        if (sub.has("FORCE") && console != Consoles.Kind.SERIAL) {
            throw CtysException.usage("FORCE takes over a hypervisor console another client holds; valid: FORCE with CONSOLE:SERIAL");
        }
        Map<String, Step> steps = new LinkedHashMap<>();
        Map<String, Duration> bounds = new LinkedHashMap<>();
        Map<String, Step> consoles = new LinkedHashMap<>();
        for (GuestPlanner.Aim a : aims) {
            VmHost host = VmHost.of(a.host(), dialect, request.options(), context);
            String target = a.guest() == null ? host.label() : host.guestLabel(a.guest());
            Step s = file != null ? fromFile(host, file, bound, sub, request, context) : start(host, a.guest(), bound, sub, request, context);
            steps.putIfAbsent(target, s);
            if (a.host().timeout() != null) bounds.put(target, a.host().timeout());
            if (console != Consoles.Kind.NONE && !consoles.containsKey(target)) consoles.put(target, console(host, a.guest(), sub, request, context));
        }
        int n = steps.size();
        String title = "ctys -t " + kind.name() + " -a CREATE: " + n + (n == 1 ? " guest" : " guests") + " (" + dialect.program()
                + " on each host, confirmed running)";
        List<String> targets = new ArrayList<>(steps.keySet());
        Step started = new Step.Parallel(0, List.copyOf(steps.values()));
        Consoles.oneTerminal(console, targets);
        if (console.ownsTheTerminal()) {
            Step attach = consoles.values().iterator().next();
            return new Plan(title + ", then its console", targets, new Step.Sequence(List.of(started, attach)), bounds);
        }
        if (!consoles.isEmpty()) {
            // each window or viewer is a row of its own, opened once its guest runs: the guest's row is done by then
            List<Step> windows = new ArrayList<>();
            consoles.forEach((guest, window) -> {
                String row = window instanceof org.ctys.spi.ViewVnc v ? v.target() : ((org.ctys.spi.OpenWindow) window).target();
                targets.add(row);
                windows.add(new org.ctys.spi.After(row, List.of(guest), false, "opened", window));
            });
            String each = console == Consoles.Kind.VNC ? "a VNC viewer each" : "a window each";
            return new Plan(title + ", then " + each, targets, new Step.Sequence(List.of(started, new Step.Parallel(0, windows))),
                    bounds);
        }
        return new Plan(title, targets, started, bounds);
    }

    /** The step that opens CONSOLE: of one guest once it runs. */
    private Step console(VmHost host, String guest, Suboptions sub, ActionRequest request, PlanContext context) {
        String target = host.guestLabel(guest);
        return switch (console) {
            case SERIAL -> Consoles.guestSerial(host, guest, sub.has("FORCE"));
            case CLI -> Consoles.shell(target, host.guestTarget(guest), request.options(), context);
            case XTERM, GTERM -> Consoles.window(console, target, host.guestTarget(guest), request.options(), context);
            case VNC -> Consoles.vnc(target, host.guestTarget(guest), request.options(), context);
            default -> throw CtysException.usage("CONSOLE:" + console + " is not a console of a guest; valid: CLI, XTERM, GTERM, SERIAL, VNC, NONE");
        };
    }

    /** Asks the host for the guest's state first: a guest that runs is left alone, one that does not is started. */
    private Step start(VmHost host, String guest, Duration bound, Suboptions sub, ActionRequest request, PlanContext context) {
        String target = host.guestLabel(guest);
        return new Discover(target, host.remote(), dialect.list(host.uri()), GuestSteps.COMMAND, out -> {
            String missing = States.missingProgram(host, out);
            if (missing != null) return fail(target, "no-" + dialect.program(), missing);
            List<Guest> guests;
            try {
                if (!out.succeeded()) throw new IllegalArgumentException(out.exitText() + ": " + States.text(out.stderr()).strip());
                guests = dialect.parseList(States.text(out.stdout()));
            } catch (IllegalArgumentException e) {
                return fail(target, "unreadable", dialect.program() + " on " + host.label() + ": " + e.getMessage());
            }
            Optional<Guest> g = guests.stream().filter(x -> x.name().equals(guest)).findFirst();
            if (g.isEmpty() && dialect.listsEveryGuest()) {
                return fail(target, "no-such-guest", "no guest '" + guest + "' on " + host.label() + " (it has: "
                        + (guests.isEmpty() ? "none" : String.join(", ", guests.stream().map(Guest::name).toList())) + ")");
            }
            // not listed by a hypervisor that lists only some stopped guests (xl): its config decides
            GuestState state = g.map(Guest::state).orElse(GuestState.ABSENT);
            if (state == GuestState.RUNNING) {
                String how = sub.has("CONNECT") || sub.has("REUSE") ? "runs; used as it is" : "runs already; nothing changed";
                return new Discover.Expanded(List.of(), new Note(target, Verdict.done("running", how), Map.of()));
            }
            if (sub.has("CONNECT")) {
                return fail(target, "not-running", "it is " + state.text() + "; CONNECT uses a running guest only (REUSE starts it)");
            }
            List<Step> steps = new ArrayList<>();
            steps.add(state == GuestState.PAUSED || state == GuestState.SAVED ? GuestSteps.resume(host, guest, state, bound)
                    : GuestSteps.start(host, guest, bound));
            steps.addAll(answers(host, guest, bound, sub, request, context));
            return new Discover.Expanded(List.of(), new Step.Sequence(steps));
        }, preview(target, host, guest, bound, sub, request, context));
    }

    /** What the dry run shows before the host is asked: the start, and the waits for the guest's address. */
    private Step preview(String target, VmHost host, String guest, Duration bound, Suboptions sub, ActionRequest request,
                         PlanContext context) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Note(target, Verdict.proceed("planned", "unless it runs:"), Map.of()));
        steps.add(GuestSteps.start(host, guest, bound));
        steps.addAll(answers(host, guest, bound, sub, request, context));
        return new Step.Sequence(steps);
    }

    /** Creates from a file on the host, then confirms the guest the hypervisor named runs. */
    private Step fromFile(VmHost host, String file, Duration bound, Suboptions sub, ActionRequest request, PlanContext context) {
        String target = host.label();
        return new Discover(target, host.remote(), dialect.create(host.uri(), file), GuestSteps.COMMAND, out -> {
            String missing = States.missingProgram(host, out);
            if (missing != null) return fail(target, "no-" + dialect.program(), missing);
            if (!out.succeeded()) {
                String err = States.text(out.stderr()).strip();
                return fail(target, "not-created", dialect.program() + " could not create a guest from " + file + " (" + out.exitText() + ")"
                        + (err.isEmpty() ? "" : ": " + err.lines().findFirst().orElse("")));
            }
            String name = dialect.createdName(States.text(out.stdout()), States.text(out.stderr()), file);
            if (name == null) {
                return new Discover.Expanded(List.of(), new Note(target, Verdict.done("created", "created from " + file
                        + "; " + dialect.program() + " did not say its name, so it is not confirmed running"), Map.of()));
            }
            String guest = host.guestLabel(name);
            List<Step> steps = new ArrayList<>();
            steps.add(GuestSteps.running(host, name, bound));
            steps.addAll(answers(host, name, bound, sub, request, context));
            steps.add(new Note(target, Verdict.done("created", "created " + name + " from " + file), Map.of()));
            return new Discover.Expanded(List.of(new Discover.Added(guest, target)), new Step.Sequence(steps));
        }, null);
    }

    /** When the inventory knows the guest's address: wait until it answers (PING), then until SSH logins work (SSHPING). */
    private List<Step> answers(VmHost host, String guest, Duration bound, Suboptions sub, ActionRequest request, PlanContext context) {
        List<Step> out = new ArrayList<>();
        Machine m = context.machine(guest).orElse(null);
        String target = host.guestLabel(guest);
        // an entry without host: has no address to ask (its name need not resolve): PING then only when asked for
        boolean addressKnown = m != null && (!m.host().equals(m.name()) || sub.has("PING"));
        if (addressKnown && !sub.isKeyword("PING", "OFF")) {
            List<Object> v = sub.values("PING");
            int tries = v.size() == 2 ? (Integer) v.get(0) : DEFAULT_TRIES;
            Duration interval = v.size() == 2 ? (Duration) v.get(1) : DEFAULT_INTERVAL;
            int port = m.ssh().port() == null ? 22 : m.ssh().port();
            out.add(new WaitUntilUp(target, m.host(), port, tries, interval, TRY, bound));
        }
        boolean sshConsole = console == Consoles.Kind.CLI || console == Consoles.Kind.XTERM || console == Consoles.Kind.GTERM;
        if (sub.has("SSHPING") ? !sub.isKeyword("SSHPING", "OFF") : sshConsole) {
            List<Object> v = sub.values("SSHPING");
            int tries = v.size() == 2 ? (Integer) v.get(0) : DEFAULT_TRIES;
            Duration interval = v.size() == 2 ? (Duration) v.get(1) : DEFAULT_INTERVAL;
            out.add(new WaitForLogin(target, Remotes.of(host.guestTarget(guest), request.options(), context), tries, interval, SSH_TRY));
        }
        return out;
    }

    private static Discover.Expanded fail(String target, String state, String why) {
        return new Discover.Expanded(List.of(), new Note(target, Verdict.fail(state, why), Map.of()));
    }
}
