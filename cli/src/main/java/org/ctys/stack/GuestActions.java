package org.ctys.stack;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.SuboptionSpec;
import org.ctys.spi.ValueKind;

/** The actions of the guest types (KVM, XEN), as data: the same table for both (SPEC.md §3, XEN and KVM). */
public final class GuestActions {

    private GuestActions() {}

    /** @param program the hypervisor's command on the host (virsh, xl), for the help texts */
    public static List<ActionSpec> of(String program) {
        ActionSpec create = new ActionSpec("CREATE",
                "start guests on their host (" + program + " over SSH) and wait until they run, and answer when their address is known",
                List.of(
                        SuboptionSpec.of("LABEL", "<guest>", "the guest to start, as its host knows it", ValueKind.TEXT).aliases("L").build(),
                        SuboptionSpec.of("FILE", "<config>", "create the guest from this configuration file on the host",
                                ValueKind.TEXT).aliases("F").build(),
                        SuboptionSpec.flag("REUSE", "a guest that runs already is fine (reported so)").build(),
                        SuboptionSpec.flag("CONNECT", "only use a guest that runs already; fail if it does not").build(),
                        SuboptionSpec.of("CONSOLE", "", "console to open once it runs: SERIAL (" + program + " console), CLI (SSH shell),"
                                + " XTERM or GTERM (that shell in a window), VNC (its display in a viewer), NONE", ValueKind.CHOICE)
                                .choices("CLI", "XTERM", "GTERM", "SERIAL", "VNC", "NONE").build(),
                        SuboptionSpec.flag("FORCE", program.equals("virsh")
                                ? "with CONSOLE:SERIAL: take the console over from another client that holds it (virsh console --force)"
                                : "refused: xl console has no take-over of a console another client holds").build(),
                        SuboptionSpec.of("PING", "<n>%<s>", "then wait until its address (the inventory's host:) answers: n tries, s apart (default 60%2)",
                                ValueKind.COUNT, ValueKind.DURATION).keywords("OFF").build(),
                        SuboptionSpec.of("SSHPING", "<n>%<s>", "then wait until an SSH login to it succeeds: n tries, s apart",
                                ValueKind.COUNT, ValueKind.DURATION).keywords("OFF").build(),
                        SuboptionSpec.of("TIMEOUT", "<d>", "how long it may take to run (default 2m)", ValueKind.TIMEOUT).build()),
                List.of(Set.of("LABEL", "FILE"), Set.of("REUSE", "CONNECT")),
                Map.of("FORCE", Set.of("CONSOLE")),
                "the hosts (with L: or F:), or stack addresses host[guest]");
        ActionSpec cancel = new ActionSpec("CANCEL",
                "shut guests down gracefully and wait until " + program + " reports them off; or reboot, reset, save, pause, resume them",
                List.of(
                        SuboptionSpec.of("LABEL", "<guest>", "the guest, as its host knows it", ValueKind.TEXT).aliases("L").build(),
                        SuboptionSpec.flag("ALL", "every guest of the host").build(),
                        SuboptionSpec.flag("POWEROFF", "shut down (the default), confirmed off").build(),
                        SuboptionSpec.flag("REBOOT", "shut down, confirmed off, start again, confirmed running").build(),
                        SuboptionSpec.flag("RESET", "a hard reset").build(),
                        SuboptionSpec.flag("SUSPEND", "save its memory to disk and stop it (" + suspendHow(program) + ")").build(),
                        SuboptionSpec.flag("RESUME", "bring a paused or saved guest back").build(),
                        SuboptionSpec.flag("PAUSE", "stop its CPUs; memory stays").build(),
                        SuboptionSpec.flag("FORCE", "destroy a guest that did not stop within TIMEOUT, instead of failing").build(),
                        SuboptionSpec.of("TIMEOUT", "<d>", "how long each guest may take (default 2m)", ValueKind.TIMEOUT).build()),
                List.of(Set.of("LABEL", "ALL"), Set.of("POWEROFF", "REBOOT", "RESET", "SUSPEND", "RESUME", "PAUSE")),
                Map.of(),
                "the hosts (with L: or ALL), or stack addresses host[guest]");
        ActionSpec list = new ActionSpec("LIST",
                "the guests of the hosts, live: name, state, id, memory, vCPUs, autostart, the console kinds each offers",
                List.of(), List.of(), Map.of(), "the hosts (default: every machine of the inventory with this hypervisor)");
        ActionSpec enumerate = new ActionSpec("ENUMERATE",
                "the guests of the hosts with their MACs and consoles, as inventory lines to paste",
                List.of(), List.of(), Map.of(), "the hosts (default: every machine of the inventory with this hypervisor)");
        return List.of(create, cancel, list, enumerate);
    }

    static String suspendHow(String program) {
        return program.equals("virsh") ? "virsh managedsave; start restores it" : "xl save to /var/lib/xen/save/<guest>";
    }
}
