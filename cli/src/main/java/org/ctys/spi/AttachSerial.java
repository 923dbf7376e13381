package org.ctys.spi;

import org.ctys.inventory.SerialSettings;

/**
 * Attach the local terminal to a local serial line until the user leaves with the escape sequence.
 * A plan of its own: it owns the terminal while it runs.
 *
 * @param target the machine whose line it is, or the device itself when no machine was named
 */
public record AttachSerial(String target, SerialSettings line) implements Step {

    /** As picocom would be asked for the same line (as AttachSol reads like ipmitool): ctys runs neither. */
    @Override
    public String describe() {
        char flow = switch (line.flow()) {
            case NONE -> 'n';
            case RTSCTS -> 'h';
            case XONXOFF -> 's';
        };
        return "picocom -b " + line.speed() + " -d " + line.dataBits() + " -y " + line.parity().letter() + " -p "
                + line.stopBits() + " -f " + flow + " " + ShellWords.quote(line.device()) + "   # the serial line at "
                + line.framing() + "; leave with ~. after a newline";
    }

    @Override
    public boolean ownsTheTerminal() { return true; }
}
