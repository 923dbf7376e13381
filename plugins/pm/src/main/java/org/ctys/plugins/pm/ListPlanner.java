package org.ctys.plugins.pm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ctys.inventory.BmcSettings;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Machine;
import org.ctys.inventory.WolSettings;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.BmcPower;
import org.ctys.spi.Note;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Step;
import org.ctys.spi.Target;
import org.ctys.spi.Verdict;
import org.ctys.spi.Discover;
import org.ctys.spi.Output;
import org.ctys.stack.Dialect;
import org.ctys.stack.Guest;
import org.ctys.stack.Stacks;
import org.ctys.stack.VmHost;
import java.nio.charset.StandardCharsets;

/**
 * Plans PM LIST: what the inventory knows of each machine, the guests its hypervisor says run
 * (asked over SSH, live), and the power state its BMC reports.
 */
final class ListPlanner {
    static final java.time.Duration GUEST_ASK = java.time.Duration.ofSeconds(30);

    private ListPlanner() {}

    static Plan plan(ActionRequest request, PlanContext context) {
        List<Step> notes = new ArrayList<>();
        List<Step> asks = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        if (request.targets().isEmpty()) {
            for (Machine m : context.machines()) {
                labels.add(m.name());
                notes.add(known(m));
                ask(m, asks, request, context);
            }
        } else {
            for (Target t : request.targets()) {
                labels.add(t.name());
                notes.add(t.machine() != null ? known(t.machine())
                        : new Note(t.name(), Verdict.fail("unknown", "not in the inventory ("
                        + context.inventorySource().orElse("none in use") + ")"), Map.of()));
                if (t.machine() != null) ask(t.machine(), asks, request, context);
            }
        }
        // the inventory first, then every machine asked at once: one that does not answer delays only its own row
        List<Step> all = new ArrayList<>(notes);
        if (!asks.isEmpty()) all.add(new Step.Parallel(0, asks));
        long bmcs = count(all, BmcPower.class);
        long hypervisors = count(all, Discover.class);
        List<String> from = new ArrayList<>();
        if (bmcs > 0) from.add("the power state from " + bmcs + (bmcs == 1 ? " BMC" : " BMCs"));
        if (hypervisors > 0) from.add("the live guests of " + hypervisors + (hypervisors == 1 ? " host" : " hosts"));
        return new Plan("ctys -t PM -a LIST: " + labels.size() + " machines of the inventory"
                + (from.isEmpty() ? "" : ", " + String.join(", ", from)), labels, new Step.Sequence(all));
    }

    private static long count(List<Step> steps, Class<?> kind) {
        long n = 0;
        for (Step s : steps) n += (kind.isInstance(s) ? 1 : 0) + count(s.children(), kind);
        return n;
    }

    /** What is asked of a machine, in order: its hypervisor for the guests that run (live), then its BMC for the power. */
    private static void ask(Machine m, List<Step> asks, ActionRequest request, PlanContext context) {
        List<Step> mine = new ArrayList<>();
        if (m.parent() == null) {
            Stacks.dialect(m.hypervisor()).ifPresent(d -> mine.add(guests(m, d, request, context)));
        }
        if (m.bmc() != null && m.parent() == null) {
            mine.add(new BmcPower(m.name(), m.bmc(), BmcPower.Procedure.STATUS, null, null, true, "NONE"));
        }
        if (!mine.isEmpty()) asks.add(mine.size() == 1 ? mine.get(0) : new Step.Sequence(mine));
    }

    /** The guests running on a machine, as its hypervisor says now; a machine that cannot be asked is shown so, not failed. */
    private static Step guests(Machine m, Dialect d, ActionRequest request, PlanContext context) {
        VmHost host = VmHost.of(new Target(m.name(), null, List.of(), m, null), d, request.options(), context);
        return new Discover(m.name(), host.remote(), d.list(host.uri()), GUEST_ASK, new Discover.Expansion() {
            @Override
            public Discover.Expanded expand(Output out) {
                String text;
                try {
                    if (!out.succeeded()) throw new IllegalArgumentException(d.program() + " failed (" + out.exitText() + ")");
                    List<Guest> live = d.parseList(new String(out.stdout(), StandardCharsets.UTF_8));
                    text = live.isEmpty() ? "none" : live.stream().map(g -> g.name() + " (" + g.state().text() + ")")
                            .collect(Collectors.joining(", "));
                } catch (IllegalArgumentException e) {
                    text = "? (" + e.getMessage() + ")";
                }
                return noted(text);
            }

            @Override
            public Discover.Expanded unreached(Verdict why, boolean commandSent) {
                // the inventory's list stays, marked as not confirmed; why is in the row's message (JSON, -X)
                String known = m.guests().isEmpty() ? "" : String.join(" ", m.guests().keySet()) + " ";
                return new Discover.Expanded(List.of(), new Note(m.name(), Verdict.proceed("known", "guests not asked: "
                        + why.message()), Map.of("guests", known + "(not asked)")));
            }

            private Discover.Expanded noted(String text) {
                return new Discover.Expanded(List.of(), new Note(m.name(), Verdict.proceed("known", "guests asked"), Map.of("guests", text)));
            }
        }, null);
    }

    private static Note known(Machine m) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("host", m.host() == null ? m.name() : m.host());
        f.put("mac", m.macs().stream().map(Object::toString).collect(Collectors.joining(" ")));
        f.put("wake", wake(m.wol()));
        f.put("bmc", m.bmc() == null ? "" : m.bmc().address()
                + (m.bmc().port() == BmcSettings.DEFAULT_PORT ? "" : ":" + m.bmc().port()));
        // "?" until the BMC answers; a machine without one has no power column to fill
        f.put("power", m.bmc() == null || m.parent() != null ? "" : "?");
        f.put("hypervisor", m.hypervisor() == Hypervisor.NONE ? "" : m.hypervisor().text());
        f.put("guests", String.join(" ", m.guests().keySet()));
        // from the inventory alone: a guest's hypervisor is asked by -t kvm|xen -a list
        f.put("consoles", org.ctys.stack.Consoles.offered(m, null));
        String msg = m.parent() == null ? "known" : "guest of " + m.parent();
        boolean asked = (m.bmc() != null || m.hypervisor() != Hypervisor.NONE) && m.parent() == null;
        return new Note(m.name(), asked ? Verdict.proceed("known", msg) : Verdict.done("known", msg), f);
    }

    private static String wake(WolSettings w) {
        if (w == null) return "";
        List<String> parts = new ArrayList<>();
        if (w.broadcast() != null) parts.add("broadcast " + w.broadcast());
        if (w.interfaceName() != null) parts.add("if " + w.interfaceName());
        if (w.port() != null) parts.add("port " + w.port());
        if (w.gateway() != null) parts.add("via " + w.gateway());
        if (w.secureOn() != null) parts.add("secureon");
        return String.join(", ", parts);
    }
}
