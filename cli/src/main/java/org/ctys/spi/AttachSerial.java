package org.ctys.spi;

import org.ctys.inventory.SerialSettings;

/**
 * Attach the local terminal to a local serial line until the user leaves with the escape sequence.
 * A plan of its own: it owns the terminal while it runs.
 *
 * @param target the machine whose line it is, or the device itself when no machine was named
 */
public record AttachSerial(String target, SerialSettings line) implements Step {

    @Override
    public String describe() {
        return "open serial line " + ShellWords.quote(line.device()) + " at " + line.framing()
                + "   # leave with ~. after a newline";
    }

    @Override
    public boolean ownsTheTerminal() { return true; }
}
