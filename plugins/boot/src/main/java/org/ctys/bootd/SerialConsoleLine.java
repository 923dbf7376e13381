package org.ctys.bootd;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The serial line the recovery system speaks on (bootd.yaml {@code console: ttyS1,115200}): the
 * one the machine's BMC carries as Serial-over-LAN, which is ttyS0 on a VM and often ttyS1 on a
 * server board. The kernel's console and GRUB's terminal both use it.
 */
record SerialConsoleLine(int unit, int speed) {
    static final SerialConsoleLine DEFAULT = new SerialConsoleLine(0, 115200);
    private static final Pattern FORM = Pattern.compile("ttyS(\\d{1,2})(?:,(\\d{3,7}))?");
    private static final java.util.Set<Integer> SPEEDS = java.util.Set.of(9600, 19200, 38400, 57600, 115200);

    /** {@code ttyS<n>[,<speed>]}; null when {@code text} is not that (the caller names the key and the file). */
    static SerialConsoleLine parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) return null;
        int speed = m.group(2) == null ? DEFAULT.speed : Integer.parseInt(m.group(2));
        return SPEEDS.contains(speed) ? new SerialConsoleLine(Integer.parseInt(m.group(1)), speed) : null;
    }

    /** The kernel's command-line word: where /dev/console, and so every ctys-recovery line, goes. */
    String kernelArgument() { return "console=ttyS" + unit + "," + speed; }

    /** GRUB's serial unit and speed, for its menu on the same line. */
    String grubSerial() { return "serial --unit=" + unit + " --speed=" + speed; }

    @Override
    public String toString() { return "ttyS" + unit + "," + speed; }
}
