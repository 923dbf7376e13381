package org.ctys.plugins.sol;

import java.util.List;
import java.util.Map;
import org.ctys.exit.CtysException;
import org.ctys.inventory.BmcSettings;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.AttachSol;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Plugin;
import org.ctys.spi.SuboptionSpec;
import org.ctys.spi.Target;

/** A machine's serial console over IPMI Serial-over-LAN, attached to the local terminal. */
public final class SolPlugin implements Plugin {

    static final ActionSpec CREATE = new ActionSpec("CREATE",
            "attach the terminal to the machine's Serial-over-LAN console through its BMC",
            List.of(SuboptionSpec.flag("FORCE", "take the console over from another session that holds it").build()),
            List.of(), Map.of(), "one machine whose inventory entry names its BMC");

    @Override
    public String type() { return "SOL"; }

    @Override
    public String summary() { return "a machine's serial console over IPMI Serial-over-LAN"; }

    @Override
    public String details() {
        return """
                The console:
                ctys -t sol -a create lab07 opens an IPMI v2.0 session with the BMC of lab07 (the
                inventory's bmc: entry: address, port, user, password-file or password-env, kg-file or kg-env, cipher-suite)
                and activates its Serial-over-LAN. The local terminal is raw while attached and restored
                on every way out: what is typed goes to the machine's serial port, byte for byte (Ctrl-C
                included), and what it prints appears here.

                Escape sequences (after a newline, as ssh and ipmitool have them; only on a terminal, piped
                input is sent as it is):
                ~. leaves the console (exit status 0), ~B sends a break (the SOL break, which the BMC gives
                the machine's serial port), ~~ sends one ~, ~? lists them. --log FILE records the session.

                Another session:
                a BMC has one Serial-over-LAN console per machine. When another session holds it, ctys
                says so and exits 1; FORCE deactivates the other session's console and takes it over.
                BMCs do not tell the session that lost its console: that ctys finds out at the next key
                typed there (the BMC no longer takes its data), or at its next check, where the BMC names
                another session as the console's holder (Get Payload Instance Info), and ends with a
                message saying so (exit 1), leaving the other session's console alone.

                When the BMC stops answering:
                every 5s ctys asks the BMC which session the console is active for (which also keeps the
                session alive at BMCs that count only IPMI requests); a BMC that no longer answers, or a
                console that another session took over, ends it with its own message (exit 1).
                --timeout bounds the whole console (exit 124). Without a terminal on standard input, the
                input is sent as it comes; at its end, what the machine prints in the next second is
                shown, and the console is left.

                What is believed from the BMC:
                once the session is up, a packet is shown only when its integrity code is right for the
                session's keys, it carries the session's ID and its sequence number was not seen before
                (IPMI v2.0's window); a forged, altered or replayed packet is dropped (logged with -d 3),
                and the BMC sends its characters again.
                """;
    }

    @Override
    public List<ActionSpec> actions() { return List.of(CREATE); }

    @Override
    public Plan plan(ActionRequest request, PlanContext context) {
        List<Target> targets = request.targets();
        if (targets.size() != 1) {
            throw CtysException.usage(targets.isEmpty() ? "no machine: give the one whose console to attach (ctys -t sol -a create lab07)"
                    : "a console attaches to one machine, not " + targets.size() + "; valid: one target");
        }
        Target t = targets.get(0);
        BmcSettings bmc = context.bmc(t, "Serial-over-LAN");
        return new Plan("ctys -t SOL -a CREATE: the Serial-over-LAN console of " + t.name(), List.of(t.name()),
                new AttachSol(t.name(), bmc, request.suboptions().has("FORCE")));
    }
}
