package org.ctys.stack;

import java.util.List;
import org.ctys.exit.CtysException;
import org.ctys.inventory.SerialSettings;
import org.ctys.spi.AttachSerial;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Suboptions;
import org.ctys.spi.Target;

/**
 * How a local serial line is planned, once for every command that attaches one: {@code -t serial
 * -a create} and CONSOLE:SERIAL of PM CREATE get the same {@link AttachSerial} for the same machine.
 */
public final class SerialLines {

    private SerialLines() {}

    /** The line of a machine's inventory {@code serial:} entry; none is a configuration error naming the inventory. */
    public static AttachSerial ofMachine(String report, Target machine, PlanContext context) {
        return new AttachSerial(report, known(machine, context, " for CONSOLE:SERIAL"));
    }

    /**
     * The line -t serial's suboptions name: DEV: (over the machine's entry, when a machine is given)
     * or the machine's entry, then SPEED:, PARITY:, BITS:, STOP:, FLOW: over what that gives.
     */
    public static SerialSettings fromSuboptions(List<Target> targets, Suboptions sub, PlanContext context) {
        return overrides(base(targets, sub, context), sub);
    }

    private static SerialSettings base(List<Target> targets, Suboptions sub, PlanContext context) {
        String dev = sub.text("DEV").orElse(null);
        if (dev != null) {
            if (!SerialSettings.isDevicePath(dev)) {
                throw CtysException.usage("suboption 'DEV:" + dev + "': expected " + SerialSettings.DEVICE_FORM);
            }
            SerialSettings known = targets.isEmpty() || targets.get(0).machine() == null ? null : targets.get(0).machine().serial();
            return known == null ? SerialSettings.defaults(dev) : known.withDevice(dev);
        }
        if (targets.isEmpty()) {
            throw CtysException.usage("no serial line: give DEV:<path> (ctys -t serial -a create=dev:/dev/ttyS0) or the"
                    + " machine whose line it is (ctys -t serial -a create lab07)");
        }
        return known(targets.get(0), context, ", or DEV:<path>");
    }

    /** @param otherwise what else the command line could give instead, as the message's end */
    private static SerialSettings known(Target t, PlanContext context, String otherwise) {
        if (t.machine() == null || t.machine().serial() == null) {
            throw CtysException.config("no serial line known for '" + t.name() + "': give it a serial: entry (device, speed,"
                    + " parity, bits, stop, flow) in the inventory (" + context.inventorySource().orElse("none in use")
                    + ")" + otherwise);
        }
        return t.machine().serial();
    }

    private static SerialSettings overrides(SerialSettings s, Suboptions sub) {
        if (sub.has("SPEED")) {
            String text = sub.text("SPEED").orElseThrow();
            s = s.withSpeed(SerialSettings.speed(text).orElseThrow(() -> CtysException.usage("suboption 'SPEED:" + text
                    + "': expected " + SerialSettings.SPEED_FORM)));
        }
        if (sub.has("PARITY")) s = s.withParity(SerialSettings.parity(sub.text("PARITY").orElseThrow()).orElseThrow());
        if (sub.has("BITS")) s = s.withDataBits(Integer.parseInt(sub.text("BITS").orElseThrow()));
        if (sub.has("STOP")) s = s.withStopBits(Integer.parseInt(sub.text("STOP").orElseThrow()));
        if (sub.has("FLOW")) s = s.withFlow(SerialSettings.flow(sub.text("FLOW").orElseThrow()).orElseThrow());
        return s;
    }
}
