package org.ctys.plugins.serial;

import java.util.List;
import java.util.Map;
import org.ctys.exit.CtysException;
import org.ctys.inventory.SerialSettings;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.AttachSerial;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Plugin;
import org.ctys.spi.SuboptionSpec;
import org.ctys.spi.Suboptions;
import org.ctys.spi.Target;
import org.ctys.spi.ValueKind;
import org.ctys.stack.SerialLines;

/** A local serial line (a machine's console cable, a USB adapter), attached to the local terminal. */
public final class SerialPlugin implements Plugin {

    static final ActionSpec CREATE = new ActionSpec("CREATE",
            "attach the terminal to a local serial line",
            List.of(SuboptionSpec.of("DEV", "<path>", "the device, e.g. /dev/ttyS0 or /dev/ttyUSB0; overrides the"
                            + " machine's serial: entry", ValueKind.TEXT).build(),
                    SuboptionSpec.of("SPEED", "<baud>", "bits per second, " + SerialSettings.MIN_SPEED + " to "
                            + SerialSettings.MAX_SPEED + " (default 115200)", ValueKind.TEXT).build(),
                    SuboptionSpec.of("PARITY", "", "n (none, the default), e (even) or o (odd)", ValueKind.CHOICE)
                            .choices("N", "E", "O").build(),
                    SuboptionSpec.of("BITS", "", "data bits, 7 or 8 (default 8)", ValueKind.CHOICE).choices("7", "8").build(),
                    SuboptionSpec.of("STOP", "", "stop bits, 1 (default) or 2", ValueKind.CHOICE).choices("1", "2").build(),
                    SuboptionSpec.of("FLOW", "", "flow control: none (default), rtscts (hardware) or xonxoff (software)",
                            ValueKind.CHOICE).choices("NONE", "RTSCTS", "XONXOFF").build()),
            List.of(), Map.of(), "none with DEV:, or one machine whose inventory entry names its serial line");

    @Override
    public String type() { return "SERIAL"; }

    @Override
    public String summary() { return "a local serial line (jSerialComm)"; }

    @Override
    public String details() {
        return """
                The console:
                ctys -t serial -a create=dev:/dev/ttyUSB0 opens the device on this host and attaches the terminal to
                it; ctys -t serial -a create lab07 opens the line of lab07's serial: entry in the inventory (device,
                speed, parity, bits, stop, flow), and suboptions given override that entry's values (DEV: its device).
                A value neither gives is the default: 115200 bits/s, 8 data bits, no parity, 1 stop bit, no flow
                control (115200 8n1). The
                local terminal is raw while attached and restored on every way out: what is typed goes to the line
                byte for byte (Ctrl-C included), and what arrives appears here. -n shows the device and its
                framing as the picocom command that would open the same line, and opens nothing.

                Escape sequences (after a newline, as ssh and ipmitool have them):
                ~. leaves the console (exit status 0), ~~ sends one ~, ~? lists them; ~B sends a break (the
                line held low for 0.25s, as Linux's SysRq over a serial console wants it).

                Errors:
                a device that does not exist, is not a character device, is not a terminal, cannot be read and
                written by the user (serial devices usually belong to the group dialout), is held by another
                program, or refuses the framing is named in one line, and ctys exits 1. A line that goes away
                while attached (a USB adapter pulled) ends the console with a message saying so (exit 1), and so
                does a line that takes no input for 5s (flow control holds it: the machine sent XOFF, or CTS is
                low), so that the keyboard, ~. included, is never stuck behind it. --timeout
                bounds the whole console (exit 124). Without a terminal on standard input, the input is sent as it
                comes; at its end, what the line prints in the next second is shown, and the console is left.

                Pseudo-terminals:
                a pty (socat's pty,raw,echo=0 pairs) works as a line, with three differences: Linux's pty driver
                keeps 8 data bits without parity whatever is asked (its input checks, inpck and istrip, do follow
                PARITY and BITS), a break goes nowhere, and there are no modem lines.
                """;
    }

    @Override
    public List<ActionSpec> actions() { return List.of(CREATE); }

    @Override
    public Plan plan(ActionRequest request, PlanContext context) {
        List<Target> targets = request.targets();
        Suboptions sub = request.suboptions();
        if (targets.size() > 1) {
            throw CtysException.usage("a console attaches to one line, not " + targets.size() + " targets; valid: one machine,"
                    + " or none with DEV:<path>");
        }
        SerialSettings line = SerialLines.fromSuboptions(targets, sub, context);
        String name = targets.isEmpty() ? line.device() : targets.get(0).name();
        return new Plan("ctys -t SERIAL -a CREATE: the serial line " + line.device() + (targets.isEmpty() ? "" : " of " + name),
                List.of(name), new AttachSerial(name, line));
    }
}
