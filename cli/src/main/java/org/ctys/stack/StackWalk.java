package org.ctys.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ctys.spi.After;
import org.ctys.spi.Discover;
import org.ctys.spi.Note;
import org.ctys.spi.Output;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;
import org.ctys.spi.WaitForLogin;

/**
 * Takes down what runs on a host, deepest first: asks the host which guests run (never trusting
 * the inventory alone), descends into guests that are hosts themselves, stops each level's guests
 * at the same time, confirms each off, and only then lets the host's own step run; a guest that
 * does not stop keeps its host up (unless told to destroy it). Shared by PM, KVM and XEN; one walk
 * serves one command, and keeps what it found (which guests ran) for bringing them back.
 */
public final class StackWalk {
    static final int LOGIN_TRIES = 150;
    static final java.time.Duration LOGIN_EVERY = java.time.Duration.ofSeconds(2);
    static final java.time.Duration LOGIN_TRY = java.time.Duration.ofSeconds(10);
    private final Stacks stacks;
    private final Cancel cancel;
    /** Per host label, the guests that ran before the walk stopped them, in the host's order. */
    private final Map<String, List<String>> wereRunning = new ConcurrentHashMap<>();

    public StackWalk(Stacks stacks, Cancel cancel) {
        this.stacks = stacks;
        this.cancel = cancel;
    }

    /** What the host's own target does once its guests are handled: gets the guests acted on and those left alone. */
    @FunctionalInterface
    public interface Then {
        Step after(List<Guest> acted, List<Guest> skipped);
    }

    /**
     * Walks {@code host}; {@code target} is the report's name the walk answers for: the host, or
     * with {@link Cancel#only()} that guest's label. The dry run shows what would be done if the
     * guests the inventory lists for the host were running.
     */
    public Discover walk(VmHost host, String target, Cancel c, Then then) {
        // only RESUME needs more than names and states: whether a guest that is off kept its memory
        String ask = c.mode() == Mode.RESUME ? host.dialect().list(host.uri()) : host.dialect().states(host.uri());
        return new Discover(target, host.remote(), ask, GuestSteps.COMMAND,
                out -> expand(host, target, c, then, out), preview(host, target, c, then));
    }

    /** The steps for the guests the inventory names, as if each ran: what a dry run can know before asking. */
    private Step preview(VmHost host, String target, Cancel c, Then then) {
        org.ctys.inventory.Machine m = VmHost.machineOf(host.target(), stacks.context());
        List<Guest> known = new ArrayList<>();
        if (c.only() != null) known.add(new Guest(c.only(), GuestState.RUNNING, null, null, null, null));
        else if (m != null) m.guests().keySet().forEach(g -> known.add(new Guest(g, GuestState.RUNNING, null, null, null, null)));
        String says = c.only() != null ? "if " + c.only() + " runs:" : known.isEmpty()
                ? "the inventory lists no guests of " + host.label() + "; with none running:"
                : "if the inventory's guests of " + host.label() + " run (" + String.join(", ", known.stream().map(Guest::name).toList()) + "):";
        Discover.Expanded e = c.only() != null ? new Discover.Expanded(List.of(), guest(host, known.get(0), c))
                : handle(host, target, c, then, known, List.of());
        return new Step.Sequence(List.of(new Note(target, Verdict.proceed("planned", says), Map.of()), e.next()));
    }

    private Discover.Expanded expand(VmHost host, String target, Cancel c, Then then, Output out) {
        String missing = States.missingProgram(host, out);
        if (missing != null) return failed(target, "no-" + host.dialect().program(), missing);
        if (!out.succeeded()) {
            return failed(target, "unreadable", host.dialect().program() + " failed on " + host.label() + " (" + out.exitText() + ")"
                    + firstLine(States.text(out.stderr())));
        }
        // guests cut off the end of the listing would be left running under a host taken down as if it had none
        if (out.truncated()) {
            return failed(target, "unreadable", States.cutShort(host) + " for a listing; what runs there is not known, nothing was done");
        }
        List<Guest> guests;
        try {
            guests = c.mode() == Mode.RESUME ? host.dialect().parseList(States.text(out.stdout()))
                    : host.dialect().parseStates(States.text(out.stdout()));
        } catch (IllegalArgumentException e) {
            return failed(target, "unreadable", "cannot read what " + host.dialect().program() + " listed on " + host.label() + ": "
                    + e.getMessage());
        }
        if (c.only() != null) return one(host, target, c, guests);
        List<Guest> acted = new ArrayList<>();
        List<Guest> skipped = new ArrayList<>();
        for (Guest g : guests) (c.mode().actsOn(g.state()) ? acted : skipped).add(g);
        wereRunning.put(host.label(), inInventoryOrder(host, acted.stream().filter(g -> g.state() != GuestState.SAVED)
                .map(Guest::name).toList()));
        return handle(host, target, c, then, acted, skipped);
    }

    /** Every guest acted on at the same time, then the host's own step once all ended well. */
    private Discover.Expanded handle(VmHost host, String target, Cancel c, Then then, List<Guest> acted, List<Guest> skipped) {
        List<Discover.Added> added = new ArrayList<>();
        List<Step> each = new ArrayList<>();
        List<String> plain = acted.stream().filter(g -> plainShutdown(host, g, c)).map(Guest::name).toList();
        Step together = GuestSteps.shutdownAll(host, target, plain, c.timeout(), c.destroyAfter());
        if (together != null) each.add(together);
        for (Guest g : acted) {
            added.add(new Discover.Added(host.guestLabel(g.name()), target));
            if (together == null || !plain.contains(g.name())) each.add(guest(host, g, c));
        }
        Step own = new After(target, added.stream().map(Discover.Added::target).toList(), c.destroyNow(),
                "done: its guests are not all " + c.mode().done(), then.after(acted, skipped));
        return new Discover.Expanded(added, each.isEmpty() ? own : new Step.Sequence(List.of(new Step.Parallel(0, each), own)));
    }

    /** A running guest that only needs the ACPI button: no guests of its own to stop first, not paused, not destroyed at once. */
    private boolean plainShutdown(VmHost host, Guest g, Cancel c) {
        return c.mode() == Mode.POWEROFF && !c.destroyNow() && g.state() != GuestState.PAUSED && stacks.asHost(host, g.name()).isEmpty();
    }

    /** L:<guest>: that guest alone, reported under its own label. */
    private Discover.Expanded one(VmHost host, String target, Cancel c, List<Guest> guests) {
        Optional<Guest> found = guests.stream().filter(g -> g.name().equals(c.only())).findFirst();
        if (found.isEmpty()) {
            return failed(target, "no-such-guest", "no guest '" + c.only() + "' on " + host.label() + " (it has: "
                    + (guests.isEmpty() ? "none" : String.join(", ", guests.stream().map(Guest::name).toList())) + ")");
        }
        Guest g = found.get();
        if (!c.mode().actsOn(g.state())) {
            return new Discover.Expanded(List.of(), new Note(target, Verdict.done(g.state().text().replace(' ', '-'), g.state().text()
                    + "; nothing to do for " + c.mode().name()), Map.of()));
        }
        wereRunning.put(host.label(), List.of(g.name()));
        return new Discover.Expanded(List.of(), guest(host, g, c));
    }

    /** What is done to one guest: through its own guests first when it is a host itself. */
    private Step guest(VmHost host, Guest g, Cancel c) {
        boolean goesDown = c.mode() == Mode.POWEROFF || c.mode() == Mode.REBOOT;
        if (c.destroyNow() && goesDown) return GuestSteps.destroy(host, g.name());
        Optional<VmHost> nested = goesDown ? stacks.asHost(host, g.name()) : Optional.empty();
        if (nested.isEmpty()) return own(host, g, c);
        // its guests go down first, then it does; with REBOOT it comes back and brings them back
        return walk(nested.get(), host.guestLabel(g.name()), c.everyGuest().downOnly(),
                (acted, skipped) -> c.mode() == Mode.REBOOT ? rebootHost(host, g, c, nested.get()) : own(host, g, c));
    }

    /**
     * A guest that is a host: down (its guests are already), started, and once it takes SSH logins
     * again (running by its hypervisor's word is not yet an sshd and a hypervisor that answer), asked
     * what to bring back.
     */
    private Step rebootHost(VmHost host, Guest g, Cancel c, VmHost nested) {
        List<Step> steps = new ArrayList<>(List.of(own(host, g, c.downOnly()), GuestSteps.start(host, g.name(), c.timeout())));
        if (nested.remote() != null) steps.add(new WaitForLogin(nested.label(), nested.remote(), LOGIN_TRIES, LOGIN_EVERY, LOGIN_TRY));
        steps.add(restart(nested, host.guestLabel(g.name())));
        return new Step.Sequence(steps);
    }

    private Step own(VmHost host, Guest g, Cancel c) {
        String name = g.name();
        return switch (c.mode()) {
            case POWEROFF -> g.state() == GuestState.PAUSED
                    ? new Step.Sequence(List.of(GuestSteps.resume(host, name, GuestState.PAUSED, c.timeout()),
                            GuestSteps.shutdown(host, name, c.timeout(), c.destroyAfter())))
                    : GuestSteps.shutdown(host, name, c.timeout(), c.destroyAfter());
            case REBOOT -> new Step.Sequence(List.of(own(host, g, c.downOnly()), GuestSteps.start(host, name, c.timeout())));
            case RESET -> GuestSteps.reset(host, name);
            case SUSPEND -> GuestSteps.save(host, name, c.timeout());
            case PAUSE -> GuestSteps.pause(host, name);
            case RESUME -> GuestSteps.resume(host, name, g.state(), c.timeout());
        };
    }

    /**
     * Brings back, one after the other in the order they were listed, the guests the walk stopped on
     * {@code host} (and theirs, when they are hosts), each confirmed running before the next starts.
     * Asks the host first: it has just come back.
     */
    public Step restart(VmHost host, String target) {
        return new Discover(target, host.remote(), host.dialect().states(host.uri()), GuestSteps.COMMAND, out -> {
            List<String> names = wereRunning.getOrDefault(host.label(), List.of());
            List<Step> steps = new ArrayList<>();
            for (String name : names) {
                steps.add(GuestSteps.start(host, name, cancel.timeout()));
                stacks.asHost(host, name).filter(n -> wereRunning.containsKey(n.label())).ifPresent(n -> {
                    // a guest that is a host is asked what to bring back once it takes SSH logins again
                    if (n.remote() != null) steps.add(new WaitForLogin(n.label(), n.remote(), LOGIN_TRIES, LOGIN_EVERY, LOGIN_TRY));
                    steps.add(restart(n, n.label()));
                });
            }
            steps.add(new Note(target, Verdict.proceed("restarted", names.isEmpty() ? "no guests to bring back"
                    : "brought back: " + String.join(", ", names)), Map.of()));
            return new Discover.Expanded(List.of(), new Step.Sequence(steps));
        }, null);
    }

    /**
     * The order guests come back in: the order the inventory lists them for their host (a web server
     * after its database, as the sysadmin wrote them), then those it does not list, as the host listed them.
     */
    private List<String> inInventoryOrder(VmHost host, List<String> names) {
        org.ctys.inventory.Machine m = VmHost.machineOf(host.target(), stacks.context());
        if (m == null || m.guests().isEmpty()) return names;
        List<String> out = new ArrayList<>();
        for (String g : m.guests().keySet()) if (names.contains(g)) out.add(g);
        for (String g : names) if (!out.contains(g)) out.add(g);
        return out;
    }

    private static Discover.Expanded failed(String target, String state, String why) {
        return new Discover.Expanded(List.of(), new Note(target, Verdict.fail(state, why), Map.of()));
    }

    private static String firstLine(String s) {
        return s.isBlank() ? "" : ": " + Virsh.firstLine(s);
    }
}
