package org.ctys.plugins.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

/**
 * Secure remote boot: a machine boots once (PXE or its virtual CD) into a recovery system that
 * fetches the script of its job from the boot server (ctys-bootd) over verified HTTPS, runs it and
 * posts the result back. ctys registers the job, sets the boot device through the BMC, powers the
 * machine on or cycles it, follows the job and reports the script's exit status and output.
 */
public final class BootPlugin implements Plugin {

    private static final SuboptionSpec SERVER = SuboptionSpec.of("SERVER", "[<user>@]<host>[:<port>]",
            "the boot server, reached over SSH; default: the inventory's boot-server:", ValueKind.TEXT).build();

    static final ActionSpec CREATE = new ActionSpec("CREATE",
            "boot machines once into the recovery system, which fetches and runs a script; report its exit status and output",
            List.of(SuboptionSpec.of("SCRIPT", "<file>", "the script the machine runs (at most 1 MiB); required", ValueKind.TEXT).build(),
                    SuboptionSpec.of("VIA", "", "how the machine boots the recovery system: PXE (the default) or CDROM (its virtual CD)",
                            ValueKind.CHOICE).choices("PXE", "CDROM").build(),
                    SuboptionSpec.of("TIMEOUT", "<d>", "bound of the whole job: boot, fetch, script, result (default 10m; 10s to 24h)",
                            ValueKind.TIMEOUT).build(),
                    SuboptionSpec.flag("KEEP", "the recovery system stays up afterwards, with a shell on its console").build(),
                    SuboptionSpec.of("CONSOLE", "", "SOL: the machine's Serial-over-LAN console on this terminal from before the power-on"
                            + " until the job ends (one machine; ~. leaves it early, the job goes on)", ValueKind.CHOICE).choices("SOL").build(),
                    SERVER,
                    SuboptionSpec.flag("WATCHDOG", "arm the BMC's watchdog for the job: a hung recovery system is reset"
                            + " at the job's TIMEOUT (at most 6553.5s); stopped when the job ends").build()),
            List.of(), Map.of(), "machines with mac: and bmc: in the inventory, each booted with its own job");

    static final ActionSpec LIST = new ActionSpec("LIST",
            "the jobs of the boot server: machine, boot path, state, where the script was fetched from, its exit status",
            List.of(SERVER), List.of(), Map.of(), "none for every job, or machines whose jobs to show");

    static final ActionSpec CANCEL = new ActionSpec("CANCEL",
            "revoke jobs not yet fetched",
            List.of(SuboptionSpec.of("JOB", "<id>", "the job to revoke, as LIST shows it", ValueKind.TEXT).build(),
                    SuboptionSpec.flag("ALL", "every pending job of the machines named").build(),
                    SERVER),
            List.of(Set.of("JOB", "ALL")), Map.of(), "with JOB: none or the job's machine; with ALL: the machines");

    @Override
    public String type() { return "BOOT"; }

    @Override
    public String summary() { return "boot machines once into a recovery system that fetches and runs a script over verified HTTPS"; }

    @Override
    public String details() { return BootDetails.TEXT; }

    @Override
    public List<ActionSpec> actions() { return List.of(CREATE, LIST, CANCEL); }

    /** Its LIST shows the jobs of a boot server, not machines: -T ALL, which widens a LIST over machines, leaves it out. */
    @Override
    public boolean targetsAreMachines() { return false; }

    @Override
    public Plan plan(ActionRequest request, PlanContext context) {
        return switch (request.actionName()) {
            case "CREATE" -> new JobPlanner(request, context).plan();
            case "CANCEL" -> JobCancel.plan(request, context);
            default -> {
                List<String> machines = new ArrayList<>();
                for (Target t : request.targets()) {
                    if (!t.stack().isEmpty()) {
                        throw CtysException.usage("'" + t.display() + "' is a stack address; boot jobs are for machines, valid: '"
                                + t.name() + "'");
                    }
                    machines.add(t.known().map(m -> m.name()).orElse(t.name()));
                }
                BootServerReach server = BootServerReach.of(request, context);
                yield new Plan("ctys -t BOOT -a LIST: the jobs of " + server.label(), List.of(server.label()),
                        new JobListing(server, machines).step());
            }
        };
    }
}
