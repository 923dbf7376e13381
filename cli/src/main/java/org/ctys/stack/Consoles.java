package org.ctys.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ctys.exit.CtysException;
import org.ctys.inventory.Machine;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.AttachGuestConsole;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.OpenShell;
import org.ctys.spi.OpenWindow;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Remotes;
import org.ctys.spi.Step;
import org.ctys.spi.Target;
import org.ctys.spi.ViewVnc;

/**
 * The consoles CREATE opens afterwards ({@code CONSOLE:} of PM, KVM and XEN): one method per kind,
 * each returning the step that opens it, so that every type plans a console the same way. The
 * steps before it bring the machine up; a console that owns the terminal is the plan's last step.
 */
public final class Consoles {
    /** The kinds, as CONSOLE: names them. */
    public enum Kind {
        CLI, XTERM, GTERM, VNC, SOL, SERIAL, NONE;

        /** The console takes over this terminal: one machine only. */
        public boolean ownsTheTerminal() { return this == CLI || this == SOL || this == SERIAL; }
    }

    private Consoles() {}

    /** CONSOLE: of the request; NONE when not given. */
    public static Kind of(ActionRequest request) {
        return request.suboptions().text("CONSOLE").map(c -> Kind.valueOf(c.toUpperCase(Locale.ROOT))).orElse(Kind.NONE);
    }

    /** A console that owns the terminal is for one machine: several are a usage error that names them. */
    public static void oneTerminal(Kind kind, List<String> targets) {
        if (kind.ownsTheTerminal() && targets.size() > 1) {
            throw CtysException.usage("CONSOLE:" + kind + " attaches this one terminal to one machine, not " + targets.size()
                    + " (" + String.join(", ", targets) + "); valid: one target, or CONSOLE:XTERM|GTERM for a window each");
        }
    }

    /** CLI: an interactive SSH shell on {@code machine} (a PM, or a guest as a stack address), as {@code ctys -t cli -a create} opens it. */
    public static Step shell(String report, Target machine, GenericOptions options, PlanContext context) {
        reachable(machine, context);
        return new OpenShell(report, Remotes.of(machine, options, context), options.pty());
    }

    /**
     * XTERM or GTERM: that shell in a new local window titled {@code report}, started detached (a
     * window each for many machines).
     */
    public static Step window(Kind kind, String report, Target machine, GenericOptions options, PlanContext context) {
        reachable(machine, context);
        String program = kind == Kind.XTERM ? OpenWindow.XTERM : OpenWindow.GNOME_TERMINAL;
        if (context.program(program).isEmpty()) {
            throw CtysException.config(program + " not found on PATH (Debian package " + (kind == Kind.XTERM ? "xterm"
                    : "gnome-terminal") + ") for CONSOLE:" + kind);
        }
        List<String> args = new ArrayList<>(options.asArguments());
        context.inventorySource().ifPresent(inv -> args.addAll(0, List.of("--inventory",
                java.nio.file.Path.of(inv).toAbsolutePath().toString())));
        // "--": whatever the machine is called, the ctys in the window cannot read it as an option
        args.addAll(List.of("-t", "cli", "-a", "create", "--", machine.label()));
        // a row of its own beside the machine's: "lab01 (xterm)"
        return new OpenWindow(report + " (" + program + ")", program, report, args);
    }

    /** SERIAL of a guest: its hypervisor's console on its host ({@code virsh console}, {@code xl console}). */
    public static Step guestSerial(VmHost host, String guest, boolean force) {
        Step misread = GuestSteps.misread(host, guest);
        if (misread != null) return misread;
        String command = host.dialect().console(host.uri(), guest, force);
        if (command == null) {
            throw CtysException.usage("FORCE with CONSOLE:SERIAL: " + host.dialect().program()
                    + " console has no take-over of a console another client holds; valid: CONSOLE:SERIAL without FORCE");
        }
        return new AttachGuestConsole(host.guestLabel(guest), host.remote(), command);
    }

    /**
     * VNC: the display of {@code machine} (a PM's running VNC server, or a guest's at its hypervisor)
     * in a local viewer, as {@code ctys -t vnc -a create} shows it: detached, a row of its own
     * ("lab01 (vnc)"), one viewer for each machine.
     */
    public static ViewVnc vnc(String report, Target machine, GenericOptions options, PlanContext context) {
        return VncViews.view(report + " (vnc)", machine, null, false, false, List.of(), options, context);
    }

    /** SERIAL of a physical machine: the local serial line of its inventory {@code serial:} entry, as {@code ctys -t serial -a create} opens it. */
    public static Step serialLine(String report, Target machine, PlanContext context) {
        return SerialLines.ofMachine(report, machine, context);
    }

    /**
     * The console kinds a machine offers, as CONSOLE: names them ("CLI,XTERM,GTERM,SOL"): what its
     * inventory entry says (an SSH address: CLI, XTERM, GTERM; a BMC: SOL; a {@code serial:} line:
     * SERIAL; a {@code vnc:} entry: VNC) and, for a guest, what
     * its hypervisor says ({@code hypervisor}: ENUMERATE's "serial", "vnc[:ADDR:PORT]"; null when not asked).
     */
    public static String offered(Machine known, List<String> hypervisor) {
        java.util.Set<Kind> kinds = new java.util.LinkedHashSet<>();
        if (known != null) kinds.addAll(List.of(Kind.CLI, Kind.XTERM, Kind.GTERM));
        if (known != null && known.bmc() != null && known.parent() == null) kinds.add(Kind.SOL);
        if (known != null && known.isGuest() && known.console() != null) kinds.add(Kind.SERIAL);
        // a machine's local serial line; its VNC display, when the inventory keeps the display's password
        if (known != null && known.serial() != null) kinds.add(Kind.SERIAL);
        if (known != null && known.vncPassword() != null) kinds.add(Kind.VNC);
        if (hypervisor != null) {
            for (String c : hypervisor) {
                if (c.equals("serial")) kinds.add(Kind.SERIAL);
                if (c.equals("vnc") || c.startsWith("vnc:")) kinds.add(Kind.VNC);
            }
        }
        return String.join(",", kinds.stream().map(Kind::name).toList());
    }

    /** A machine is reached by SSH at its address; a guest the inventory does not know has none to reach. */
    private static void reachable(Target machine, PlanContext context) {
        if (machine.stack().isEmpty()) return;
        String guest = machine.stack().get(machine.stack().size() - 1);
        Machine known = context.machine(guest).orElse(null);
        if (known == null) {
            throw CtysException.config("no address known for guest '" + guest + "' of " + machine.display()
                    + ": an SSH console needs its inventory entry with host: (inventory: "
                    + context.inventorySource().orElse("none in use") + "); CONSOLE:SERIAL needs none");
        }
    }

    /**
     * The CONSOLE: part of a hypervisor type's help (KVM, XEN), the same words for both:
     * {@code program} is its console command's program, {@code force} says what FORCE does there.
     */
    public static String guestConsoleHelp(String program, String force) {
        return """
            SERIAL attaches this terminal to %1$s console of the guest \
            on its host, run over SSH on a pseudo terminal of this terminal's type and size (window \
            changes follow). %2$sCLI opens an SSH shell on the guest, as ctys -t cli -a create \
            host[guest] does, once it takes SSH logins (SSHPING is implied; SSHPING:OFF skips it); the \
            guest needs an inventory entry with its address (host:), else the command is refused (exit 3). \
            XTERM and GTERM open that shell in a new window titled host[guest], detached, one per guest \
            (a row of its own, "host[guest] (xterm)"). VNC shows the guest's display at its hypervisor in a \
            local viewer once it runs, as ctys -t vnc -a create host[guest] does (its port forwarded over \
            SSH from the host, detached, a row of its own "host[guest] (vnc)", one viewer per guest). \
            NONE: no console (the \
            default). CLI and SERIAL take this terminal: one guest only (several are a usage error naming \
            them). F:<file> with a console is refused: the guest's name is known only once it is created.

            Leaving a console:
            ~. after a newline leaves the serial console (exit 0) and closes the channel, which ends %1$s \
            console on the host; ~~ sends one ~, ~? lists the escapes. Ctrl-] is passed to %1$s, whose \
            own escape it is: its console ends, and ctys ends with status 0 as after ~. %1$s acts on \
            the key only when it starts what it reads, so ctys sends it alone, 0.1 s behind what was \
            typed before it (a terminal's answer to a cursor query may come just before), sends nothing \
            typed after it, and leaves by itself (exit 0) if the console has not ended 2 s later. A console that \
            ends otherwise (the guest stopped, %1$s failed, the connection broke) is reported (exit 1). \
            The terminal is restored exactly (stty -g before and after equal). For a guest of localhost \
            %1$s console runs on this terminal directly, with only its own escape, Ctrl-].
            """.formatted(program, force);
    }
}
