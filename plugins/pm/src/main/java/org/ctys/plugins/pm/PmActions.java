package org.ctys.plugins.pm;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.SuboptionSpec;
import org.ctys.spi.ValueKind;

/** The PM plugin's actions and suboptions, as data (SPEC.md §3, PM). */
final class PmActions {
    static final String NOT_YET = "is not in this version of ctys";

    static final ActionSpec CREATE = new ActionSpec("CREATE",
            "bring machines up by Wake-on-LAN or through their BMC (IPMI) and wait until they answer",
            List.of(
                    SuboptionSpec.of("LABEL", "<name>", "the inventory machine to wake; targets become gateways",
                            ValueKind.TEXT).aliases("L").build(),
                    SuboptionSpec.of("TCP", "<addr>", "the address of the machine to wake; targets become gateways",
                            ValueKind.HOST).aliases("T").build(),
                    SuboptionSpec.of("MAC", "<mac>", "the MAC of the machine to wake; targets become gateways",
                            ValueKind.MAC).aliases("M").build(),
                    SuboptionSpec.of("WOL", "<delay>", "wake by Wake-on-LAN (the default); wait <delay> once after sending",
                            ValueKind.DURATION).optional().build(),
                    SuboptionSpec.flag("IPMI", "power on through the BMC (the inventory's bmc: entry) instead").build(),
                    SuboptionSpec.of("BROADCAST", "<ip>", "send the packet by UDP to this (directed) broadcast address",
                            ValueKind.IPV4).build(),
                    SuboptionSpec.of("PORT", "<port>", "UDP port of the packet (default 9)", ValueKind.PORT).build(),
                    SuboptionSpec.of("IF", "<interface>", "broadcast out of this local interface", ValueKind.INTERFACE).build(),
                    SuboptionSpec.of("BMAC", "<mac>", "the MAC to wake when it cannot be looked up", ValueKind.MAC).build(),
                    SuboptionSpec.of("CONSOLE", "", "console to open once it is up: CLI (SSH shell), XTERM or GTERM (that shell in a"
                                    + " window), VNC (its display in a viewer), SOL (Serial-over-LAN), SERIAL (its serial line), NONE",
                            ValueKind.CHOICE).choices("CLI", "XTERM", "GTERM", "VNC", "SOL", "SERIAL", "NONE").build(),
                    SuboptionSpec.flag("REUSE", "use the machine if it is up, else wake it").build(),
                    SuboptionSpec.flag("CONNECT", "only use a machine that is up; fail if it is not").build(),
                    SuboptionSpec.flag("RECONNECT", "drop your existing consoles first").unavailable(NOT_YET).build(),
                    SuboptionSpec.flag("RESUME", "wake a suspended machine").build(),
                    SuboptionSpec.of("PING", "<n>%<s>", "wait until it answers ping: n tries, s apart (default 60%2)",
                            ValueKind.COUNT, ValueKind.DURATION).keywords("OFF").build(),
                    SuboptionSpec.of("SSHPING", "<n>%<s>", "then wait until an SSH login succeeds: n tries, s apart",
                            ValueKind.COUNT, ValueKind.DURATION).keywords("OFF").build(),
                    SuboptionSpec.of("BOOT", "", "boot device for the next boot (with IPMI)", ValueKind.CHOICE)
                            .choices("PXE", "DISK", "CDROM", "BIOS").build(),
                    SuboptionSpec.of("TIMEOUT", "<d>", "bound of the whole wait for an answer", ValueKind.TIMEOUT).build()),
            List.of(Set.of("LABEL", "TCP", "MAC"), Set.of("WOL", "IPMI"), Set.of("BROADCAST", "IF"),
                    Set.of("REUSE", "CONNECT", "RECONNECT", "RESUME")),
            Map.of("PORT", Set.of("BROADCAST"), "BOOT", Set.of("IPMI")),
            "machines to wake; or, when LABEL/TCP/MAC/BMAC name the machine, the gateways to send from");

    static final ActionSpec LIST = new ActionSpec("LIST",
            "show the machines the inventory knows: address, MAC, how they wake, BMC and its power state, hypervisor,"
                    + " the guests that run (asked live), the console kinds they offer",
            List.of(), List.of(), Map.of(), "machines or @groups to show (default: all of the inventory)");

    static final ActionSpec CANCEL = new ActionSpec("CANCEL",
            "take down what runs on machines (their guests, deepest first, each confirmed off) and, with SELF, the machines"
                    + " themselves, over SSH or through their BMC (IPMI)",
            List.of(
                    SuboptionSpec.of("LABEL", "<label>", "names this cancel in the report", ValueKind.TEXT).aliases("L").build(),
                    SuboptionSpec.flag("STACK", "guests first, deepest first, each confirmed off (the default)").build(),
                    SuboptionSpec.flag("FORCE", "no propagation: running guests are destroyed at once; with IPMI the BMC powers off hard")
                            .build(),
                    SuboptionSpec.flag("SELF", "the machine itself goes down too, once its guests are off").build(),
                    SuboptionSpec.of("POWEROFF", "<delay>", "power off (the default); a delay warns logged-in users (wall) and waits",
                            ValueKind.DURATION).optional().build(),
                    SuboptionSpec.flag("REBOOT", "reboot; the guests that ran come back once the machine is back").build(),
                    SuboptionSpec.flag("RESET", "a hard reset of the machine (implies SELF)").build(),
                    SuboptionSpec.of("INIT", "", "the run level to switch the machine to: 0 powers off, 6 reboots (implies SELF)",
                            ValueKind.CHOICE).choices("0", "1", "2", "3", "4", "5", "6").build(),
                    SuboptionSpec.flag("SUSPEND", "guests save their memory; with SELF the machine suspends to RAM").build(),
                    SuboptionSpec.flag("PAUSE", "guests pause (memory stays); the machine stays up").build(),
                    SuboptionSpec.of("TIMEOUT", "<d>", "how long each guest, and the machine, may take to go down (default 2m)",
                            ValueKind.TIMEOUT).build(),
                    SuboptionSpec.flag("WOL", "arm the network card for Wake-on-LAN before the machine halts (ethtool)").build(),
                    SuboptionSpec.of("IF", "<interface>", "the card to arm, and the report's wake line (with WOL)", ValueKind.INTERFACE).build(),
                    SuboptionSpec.of("BROADCAST", "<ip>", "the report prints the ctys line that wakes it by this broadcast (with WOL)",
                            ValueKind.IPV4).build(),
                    SuboptionSpec.flag("IPMI", "the machine's own step through its BMC (the inventory's bmc: entry); implies SELF")
                            .build()),
            List.of(Set.of("POWEROFF", "REBOOT", "RESET", "INIT", "SUSPEND", "PAUSE"), Set.of("STACK", "FORCE"), Set.of("IF", "BROADCAST")),
            Map.of(),
            "machines to take down (their inventory entries name hypervisors, guests and BMCs)");

    static final List<ActionSpec> ALL = List.of(CREATE, CANCEL, LIST);

    static final String DETAILS = """
            Which machine, and from where:
            When LABEL, TCP, MAC or BMAC name the machine, the target after the action is the gateway
            the packet is sent from, over SSH (no target, or localhost: from here). Otherwise the targets
            are the machines to wake, each from the gateway its inventory entry names (wol: gateway:),
            else from here, with the MACs the inventory gives it, else the line of /etc/ethers for its
            name or address, else BMAC. A machine without a MAC is a configuration error (exit 3)
            before any packet is sent.

            The packet:
            6 bytes 0xFF, the MAC 16 times, then the SecureOn password if the inventory names a
            secureon-file (mode 0600; six bytes written like a MAC, or four like an IPv4 address).
            It goes by UDP to BROADCAST (a directed broadcast such as 192.168.3.255 crosses a router that
            forwards it) at PORT (default 9); with IF, to the broadcast address of that interface, sent from
            its address; with neither, to what the inventory says, else to 255.255.255.255.
            All packets of one call are sent before any waiting starts, over sockets kept open for the
            whole batch (one per destination).

            Gateways:
            A gateway needs only what a stock Linux host has: an SSH server and perl with its core Socket
            module (perl-base on Debian). ctys runs a perl one-liner there that sends the packets by UDP
            to BROADCAST (or 255.255.255.255) at PORT. IF, a SecureOn password and WOL:<delay> are not
            sent through a gateway in this version.

            Waiting:
            Before sending, ctys asks each machine once whether it already answers; one that does is
            left alone and reported as already up. After sending it waits until each machine answers:
            an ICMP echo where the process may send one, and a TCP connect to its SSH port (an accepted
            or a refused connection both prove a live host). PING:<n>%<s> gives the tries and their
            spacing (default 60%2), TIMEOUT bounds the whole wait, PING:OFF (or -b async) sends without
            waiting. A machine that never answers fails the command (exit 1) with its own message; a
            machine whose address is unknown is reported as sent, not confirmed.

            Confirming by SSH:
            SSHPING:<n>%<s> then waits until an SSH login succeeds (~/.ssh/config, -l, -J and
            known_hosts apply as for the CLI type). An unknown or changed host key ends the wait at once
            with exit status 3.

            Through the BMC (IPMI):
            create=ipmi powers the targets on through the BMCs their inventory entries name (bmc: address,
            port, user, password-file or password-env, kg-file or kg-env (a BMC key), cipher-suite; IPMI v2.0 over LAN, suite 3 unless
            the inventory says otherwise; suite 0 only with allow-cipher-suite-0: true). A machine the BMC
            reports as on is left alone. BOOT:PXE|DISK|CDROM|BIOS sets the device of the next boot first.
            Every change is confirmed by reading the power state back, then ctys waits as it does after
            Wake-on-LAN (PING, SSHPING). With CONSOLE:SOL (one target) the terminal is attached to the
            machine's Serial-over-LAN console right after the power-on instead, so the boot is seen from
            its first line; ~. leaves it (see ctys-sol(1)). The password is read from its file (mode 0600) or variable and
            never appears in arguments, output or the dry run.

            CANCEL, the stack:
            Everything that runs on the machine goes down first. ctys asks the machine over SSH what runs \
            (virsh list, or xl list when the inventory says hypervisor: xen; a machine the inventory does \
            not say runs a hypervisor is asked through virsh where virsh is installed), descends into \
            guests the inventory names as hosts themselves under this machine (hypervisor: kvm|xen; a guest \
            that only has the name of another inventory machine is this machine's guest), and shuts the deepest \
            level first, every guest of a level at the same time, each confirmed off by its hypervisor's \
            state within TIMEOUT (default 2m). A guest that does not stop fails, and the machine under it \
            is not touched (exit 1, the report names the guest); so does a guest whose name the hypervisor \
            reads as a domain id or UUID ("ambiguous-name": it is never acted on by that name). FORCE: \
            running guests are destroyed at \
            once, nothing nested is visited. Without SELF the machine itself stays up (the original's \
            semantics); REBOOT then reboots the guests. SUSPEND saves the guests' memory (managedsave, \
            xl save), PAUSE pauses them.

            CANCEL, the machine itself (SELF):
            Once its guests are off: over SSH systemctl --no-block poweroff or reboot (shutdown -h or -r \
            now without systemctl), confirmed by the machine no longer answering ping or its SSH port \
            within TIMEOUT; REBOOT then waits until it answers and takes SSH logins again (at most 10m) \
            and starts the guests that ran, one after the other, each confirmed running. RESET \
            (systemctl reboot --force --force) and INIT:<n> (0 power off, 6 reboot, 1 to 5 systemctl \
            isolate rescue, multi-user or graphical.target, else init n) imply SELF; SUSPEND,SELF \
            suspends the machine to RAM after its guests are saved. POWEROFF:<delay> tells the logged-in \
            users (wall) and waits that long first. WOL runs ethtool -s IF wol g on IF, or on the \
            interface that carries the machine's inventory MAC, before the halt (a card that refuses \
            stops the cancel); with BROADCAST or IF the report prints the ctys line that wakes it again.

            CANCEL through the BMC (IPMI, implies SELF):
            The guests go down over SSH first as above, then the BMC asks the operating system to shut \
            down (ACPI soft off), waits until it reports the power off, and powers off hard when that has \
            not happened within TIMEOUT (default 2m). A machine whose inventory entry names no hypervisor \
            and no guests goes straight to the BMC (it need not answer SSH). FORCE powers off hard at \
            once, guests and all. REBOOT: soft off, wait, power on (a power cycle when the soft off does \
            not finish in time; FORCE cycles at once), then the guests come back as above. RESET: a \
            hard reset.

            list shows each machine's power state as its BMC reports it, asking all BMCs at once (at most
            --parallel); a BMC that does not answer, or refuses the login, fails its machine (exit 1; a
            wrong user or password exit 3). For a machine with a hypervisor it shows the guests that run,
            asked over SSH at the same time (web1 (running), db1 (shut off)); a machine that cannot be
            asked shows the inventory's guests marked (not asked), and the reason in its message. The
            consoles column names the CONSOLE: kinds the inventory entry offers: CLI,XTERM,GTERM (reached
            over SSH), SOL (a bmc: entry), SERIAL (a serial: entry, or a guest whose entry names its
            console), VNC (a vnc: entry); the console
            kinds a hypervisor gives its guests are shown by ctys -t kvm|xen -a list.

            BMC errors: a wrong user or password, a BMC that does not answer (each request waits 2s and is
            tried 3 times) and one that stops answering during the session each have their own message.

            Consoles (CONSOLE:):
            CONSOLE:CLI opens an SSH shell on the machine (as ctys -t cli -a create does) once it is up and
            takes SSH logins (SSHPING is implied; SSHPING:OFF skips the wait); its exit status is ctys's.
            CONSOLE:XTERM and CONSOLE:GTERM open that shell in a new window titled with the machine's name,
            detached (a row of its own in the report, "lab01 (xterm)"), one per machine. CONSOLE:SOL
            attaches the terminal to the machine's Serial-over-LAN through its BMC (the inventory's bmc:;
            without one the command is refused, exit 3): with IPMI right after the power-on, after
            Wake-on-LAN once the machine answers. CLI, SOL and SERIAL take this terminal: one machine only (several
            are a usage error naming them). ~. after a newline leaves SOL (exit 0). CONSOLE:VNC shows the
            VNC server that runs on the machine in a local viewer, as ctys -t vnc -a create does: once it
            takes SSH logins (SSHPING is implied), its port forwarded over SSH, detached (a row of its own,
            "lab01 (vnc)"), one viewer per machine; the only server that listens there is used, several or
            none fail the row (exit 1); the vnc: entry's password is passed by file. CONSOLE:SERIAL
            attaches the terminal to the machine's serial line of its inventory serial: entry (a device
            on this host, as ctys -t serial -a create does; without one the command is refused, exit 3)
            after the wake, without waiting for SSH (PING:OFF attaches at once, to see the boot); ~.
            leaves (exit 0), ~B sends a break. With REUSE a machine that is
            up gets its console at once; with CONNECT only a machine that is up does; a machine that does
            not come up gets none (exit 1).

            REUSE, CONNECT, RESUME:
            CONNECT only checks that the machine is up and fails if it is not; REUSE uses a machine that
            is up and wakes it otherwise; RESUME wakes a suspended machine. Without any of them, CREATE on
            a machine that is already up says so and sends nothing.
            """;


    private PmActions() {}
}
