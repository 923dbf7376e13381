package org.ctys.stack;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctys.grammar.Names;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Inventory;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.Discover;
import org.ctys.spi.Note;
import org.ctys.spi.Output;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Step;
import org.ctys.spi.Target;
import org.ctys.spi.Verdict;

/**
 * Plans LIST and ENUMERATE of a guest type: every host asked at once what runs on it. LIST gives
 * one row per guest, live; ENUMERATE adds MACs and consoles and prints each host's guests as
 * inventory lines.
 */
final class GuestListing {
    private final Hypervisor kind;
    private final Dialect dialect;

    GuestListing(Hypervisor kind, Dialect dialect) {
        this.kind = kind;
        this.dialect = dialect;
    }

    Plan plan(ActionRequest request, PlanContext context, List<Target> targets) {
        boolean enumerate = request.actionName().equals("ENUMERATE");
        // the blocks of all the hosts are pasted together: a name is written plain under one host only
        Map<String, String> claimed = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Step> steps = new LinkedHashMap<>();
        for (Target t : targets) {
            org.ctys.inventory.Machine m = VmHost.machineOf(t, context);
            if (m != null && m.hypervisor() != Hypervisor.NONE && m.hypervisor() != kind) {
                // -T ALL lists every type on the same hosts: a host the inventory gives another hypervisor is not asked
                steps.putIfAbsent(t.display(), new Note(t.display(), Verdict.done("other-hypervisor", m.hypervisor().text()
                        + " by the inventory; not asked for " + kind.text() + " guests"), Map.of()));
                continue;
            }
            VmHost host = VmHost.of(t, dialect, request.options(), context);
            // each block's own name is the host's: no guest of the run is written plain under it
            if (enumerate) claimed.putIfAbsent(Inventory.key(blockName(host)), "the host " + host.label());
            steps.putIfAbsent(host.label(), new Discover(host.label(), host.remote(), dialect.list(host.uri()), GuestSteps.COMMAND,
                    out -> listed(host, out, enumerate ? claimed : null, context), null));
        }
        int n = steps.size();
        return new Plan("ctys -t " + kind.name() + " -a " + request.actionName() + ": the guests of " + n + (n == 1 ? " host" : " hosts")
                + " (" + dialect.program() + ")", new ArrayList<>(steps.keySet()), new Step.Parallel(0, List.copyOf(steps.values())));
    }

    /** @param claimed with ENUMERATE, the inventory names the run's blocks have so far ("the host lab01", "a guest of lab01"); else null */
    private Discover.Expanded listed(VmHost host, Output out, Map<String, String> claimed, PlanContext context) {
        List<Guest> guests;
        try {
            guests = read(host, out, g -> dialect.parseList(g));
        } catch (IllegalArgumentException e) {
            return fail(host.label(), e.getMessage());
        }
        if (claimed != null) {
            return new Discover.Expanded(List.of(), new Discover(host.label(), host.remote(), dialect.details(host.uri()), GuestSteps.COMMAND,
                    d -> {
                        try {
                            return new Discover.Expanded(List.of(), inventoryLines(host, guests, read(host, d, dialect::parseDetails),
                                    claimed, context));
                        } catch (IllegalArgumentException e) {
                            return fail(host.label(), e.getMessage());
                        }
                    }, null));
        }
        List<Discover.Added> added = new ArrayList<>();
        for (Guest g : guests) added.add(new Discover.Added(host.guestLabel(g.name()), host.label()));
        if (guests.isEmpty()) return new Discover.Expanded(added, rows(host, guests, null, context));
        // the consoles each guest offers are in its configuration: asked next, one command for all of them
        return new Discover.Expanded(added, new Discover(host.label(), host.remote(), dialect.details(host.uri()), GuestSteps.COMMAND,
                new Discover.Expansion() {
                    @Override
                    public Discover.Expanded expand(Output d) {
                        Map<String, GuestDetails> byName = new LinkedHashMap<>();
                        try {
                            for (GuestDetails gd : read(host, d, dialect::parseDetails)) byName.put(gd.name(), gd);
                        } catch (IllegalArgumentException e) {
                            byName = null; // the listing stands without consoles
                        }
                        return new Discover.Expanded(List.of(), rows(host, guests, byName, context));
                    }

                    @Override
                    public Discover.Expanded unreached(Verdict why, boolean commandSent) {
                        return new Discover.Expanded(List.of(), rows(host, guests, null, context));
                    }
                }, null));
    }

    /** One row per guest and the host's own; {@code details} null: the hypervisor could not say which consoles (shown as "?"). */
    private Step rows(VmHost host, List<Guest> guests, Map<String, GuestDetails> details, PlanContext context) {
        List<Step> rows = new ArrayList<>();
        for (Guest g : guests) {
            Map<String, String> f = fields(host, g);
            GuestDetails d = details == null ? null : details.get(g.name());
            String kinds = Consoles.offered(context.machine(g.name()).orElse(null), d == null ? List.of() : d.consoles());
            f.put("consoles", details == null ? (kinds.isEmpty() ? "?" : kinds + ",?") : kinds);
            rows.add(new Note(host.guestLabel(g.name()), Verdict.done(g.state().text().replace(' ', '-'), g.state().text()), f));
        }
        long running = guests.stream().filter(g -> g.state() == GuestState.RUNNING).count();
        rows.add(new Note(host.label(), Verdict.done("listed", guests.size() + (guests.size() == 1 ? " guest, " : " guests, ") + running
                + " running"), Map.of("host", host.label())));
        return new Step.Sequence(rows);
    }

    /** The columns of LIST: the host, the guest's name, state, id, memory, vCPUs, autostart. */
    static Map<String, String> fields(VmHost host, Guest g) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("host", host.label());
        f.put("guest", g.name());
        f.put("state", g.state().text());
        f.put("id", g.id() == null ? "-" : g.id());
        f.put("memory", g.memoryKiB() == null ? "" : mib(g.memoryKiB()));
        f.put("vcpus", g.vcpus() == null ? "" : g.vcpus().toString());
        f.put("autostart", g.autostart() == null ? "" : g.autostart() ? "yes" : "no");
        return f;
    }

    private static String mib(long kib) { return kib % 1024 == 0 ? (kib / 1024) + "MiB" : kib + "KiB"; }

    /**
     * ENUMERATE's answer: the host's guests written as the inventory's guests: block, ready to paste.
     * A guest whose name the inventory would refuse, or take for another machine, is written as a
     * comment that says why (ctys still finds and stops it on its host by that name): a name that
     * is not an inventory name; one the inventory already gives a machine that is not a guest of
     * this host; one a guest of another host of the run was written under (the first host to answer
     * keeps it); one another guest here has in another case (libvirt allows "web1" and "WEB1", the
     * inventory's names are one whatever their case).
     */
    private Step inventoryLines(VmHost host, List<Guest> guests, List<GuestDetails> details, Map<String, String> claimed,
                                PlanContext context) {
        Map<String, GuestDetails> byName = new LinkedHashMap<>();
        for (GuestDetails d : details) byName.put(d.name(), d);
        StringBuilder y = new StringBuilder();
        y.append("# ").append(host.label()).append(": paste under machines: (its host:, ssh: and the rest stay as they are)\n");
        y.append(blockName(host)).append(":\n  hypervisor: ").append(kind.text()).append('\n');
        if (kind == Hypervisor.KVM && !VmHost.DEFAULT_URI.equals(host.uri())) y.append("  uri: ").append(host.uri()).append('\n');
        org.ctys.inventory.Machine self = VmHost.machineOf(host.target(), context);
        java.util.Set<String> ownInInventory = new java.util.HashSet<>();
        if (self != null) self.guests().keySet().forEach(n -> ownInInventory.add(Inventory.key(n)));
        Map<String, String> unpastable = new LinkedHashMap<>();
        for (Guest g : guests) {
            String why = unpastable(host, g.name(), claimed, ownInInventory, context);
            if (why != null) unpastable.put(g.name(), why);
        }
        if (unpastable.size() == guests.size()) y.append("  guests: {}\n");
        else y.append("  guests:\n");
        for (Guest g : guests) {
            GuestDetails d = byName.getOrDefault(g.name(), new GuestDetails(g.name(), List.of(), List.of()));
            String why = unpastable.get(g.name());
            y.append(why == null ? "    " : "    # " + why + ": ").append(yamlKey(g.name())).append(":");
            List<String> parts = new ArrayList<>();
            // the host's words go into a file the user pastes: only what parses as a MAC, written as ctys writes one
            List<String> macs = d.macs().stream().map(org.ctys.grammar.Mac::tryParse).filter(java.util.Objects::nonNull)
                    .map(Object::toString).toList();
            if (!macs.isEmpty()) parts.add("mac: [" + String.join(", ", macs) + "]");
            if (d.consoles().contains("serial")) parts.add("console: " + dialect.program());
            y.append(parts.isEmpty() ? " {}" : " {" + String.join(", ", parts) + "}");
            StringBuilder comment = new StringBuilder(g.state().text());
            if (g.memoryKiB() != null) comment.append(", ").append(mib(g.memoryKiB()));
            if (g.vcpus() != null) comment.append(", ").append(g.vcpus()).append(g.vcpus() == 1 ? " vCPU" : " vCPUs");
            if (Boolean.TRUE.equals(g.autostart())) comment.append(", autostart");
            if (d.macs().size() > macs.size()) comment.append("; ").append(d.macs().size() - macs.size()).append(" unreadable MAC(s) left out");
            if (!d.consoles().isEmpty()) comment.append("; consoles: ").append(String.join(", ", d.consoles()));
            // a comment stays one line whatever the host wrote into a console's address
            y.append("   # ").append(org.ctys.inventory.YamlText.comment(comment.toString())).append('\n');
        }
        Output text = new Output(y.toString().getBytes(StandardCharsets.UTF_8), new byte[0], 0, null);
        return new Note(host.label(), Verdict.done("enumerated", guests.size() + (guests.size() == 1 ? " guest" : " guests")
                + (unpastable.isEmpty() ? "" : " (" + unpastable.size() + " written as a comment: a name the pasted inventory would not take)")), Map.of(), text);
    }

    /** The name ENUMERATE writes a host's block under: the machine it is in the inventory. */
    private static String blockName(VmHost host) {
        List<String> stack = host.target().stack();
        return stack.isEmpty() ? host.target().name() : stack.get(stack.size() - 1);
    }

    /** Why {@code name} cannot be written plain under {@code host}, or null when it can (it is then claimed for the host). */
    private static String unpastable(VmHost host, String name, Map<String, String> claimed, java.util.Set<String> ownInInventory,
                                     PlanContext context) {
        if (!Names.isHost(name)) return "not an inventory name (" + Inventory.NAME_FORM + ")";
        String key = Inventory.key(name);
        if (!ownInInventory.contains(key) && context.machine(name).isPresent()) {
            return "the inventory has a machine of that name already, not as a guest of " + host.label();
        }
        String here = "a guest of " + host.label();
        String first = claimed.putIfAbsent(key, here);
        if (first == null) return null;
        return first.equals(here) ? "the same inventory name as another guest here (case does not count)"
                : "the same inventory name as " + first + ", written there (one name, one machine)";
    }

    /** A guest name as a YAML key: plain when it is a plain inventory name, else double-quoted (one line, always). */
    static String yamlKey(String name) {
        return name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*") ? name : org.ctys.inventory.YamlText.doubleQuoted(name);
    }

    private <T> T read(VmHost host, Output out, java.util.function.Function<String, T> parse) {
        String missing = States.missingProgram(host, out);
        if (missing != null) throw new IllegalArgumentException(missing);
        if (!out.succeeded()) {
            String err = States.text(out.stderr()).strip();
            throw new IllegalArgumentException(dialect.program() + " failed on " + host.label() + " (" + out.exitText() + ")"
                    + (err.isEmpty() ? "" : ": " + Virsh.firstLine(err)));
        }
        // a listing cut at the read cap would show some guests as if they were all
        if (out.truncated()) throw new IllegalArgumentException(States.cutShort(host));
        return parse.apply(States.text(out.stdout()));
    }

    private static Discover.Expanded fail(String target, String why) {
        return new Discover.Expanded(List.of(), new Note(target, Verdict.fail("unreadable", why), Map.of()));
    }
}
