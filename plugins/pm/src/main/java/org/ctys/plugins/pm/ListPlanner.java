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

/** Plans PM LIST: what the inventory knows of each machine, and the power state its BMC reports. */
final class ListPlanner {

    private ListPlanner() {}

    static Plan plan(ActionRequest request, PlanContext context) {
        List<Step> notes = new ArrayList<>();
        List<Step> asks = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        if (request.targets().isEmpty()) {
            for (Machine m : context.machines()) {
                labels.add(m.name());
                notes.add(known(m));
                ask(m, asks);
            }
        } else {
            for (Target t : request.targets()) {
                labels.add(t.name());
                notes.add(t.machine() != null ? known(t.machine())
                        : new Note(t.name(), Verdict.fail("unknown", "not in the inventory ("
                        + context.inventorySource().orElse("none in use") + ")"), Map.of()));
                if (t.machine() != null) ask(t.machine(), asks);
            }
        }
        // the inventory first, then every BMC at once: one that does not answer delays only its own row
        List<Step> all = new ArrayList<>(notes);
        if (!asks.isEmpty()) all.add(new Step.Parallel(0, asks));
        return new Plan("ctys -t PM -a LIST: " + labels.size() + " machines of the inventory"
                + (asks.isEmpty() ? "" : ", the power state from " + asks.size() + (asks.size() == 1 ? " BMC" : " BMCs")),
                labels, new Step.Sequence(all));
    }

    private static void ask(Machine m, List<Step> asks) {
        if (m.bmc() != null && m.parent() == null) {
            asks.add(new BmcPower(m.name(), m.bmc(), BmcPower.Procedure.STATUS, null, null, true, "NONE"));
        }
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
        String msg = m.parent() == null ? "known" : "guest of " + m.parent();
        boolean asked = m.bmc() != null && m.parent() == null;
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
