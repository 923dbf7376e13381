package org.ctys.transport.ipmi;

import java.util.Locale;

/**
 * The boot flags as Get System Boot Options reads them back (IPMI v2.0, 28.13, parameter 5, table
 * 28-14): whether the BMC will hand a boot device to the next boot at all (the valid bit, which the
 * BIOS clears once it has used the flags), whether for every boot, and which device.
 *
 * @param valid      the boot flag valid bit (data 1, bit 7)
 * @param persistent for every boot, not the next one only (data 1, bit 6)
 * @param selector   the device selector, data 2 bits 5:2, as those bits (0x04 PXE, 0x08 disk, 0x14 CD/DVD ...)
 */
public record BootFlags(boolean valid, boolean persistent, int selector) {

    /** No device forced: the BIOS boot order. */
    static final int NO_OVERRIDE = 0x00;
    private static final int SAFE_MODE_DISK = 0x0c;

    /** The next boot goes to the disk: no valid flags, or none that names another device. */
    public boolean nextBootFromDisk() { return nextBootFromDisk(true); }

    /**
     * As {@link #nextBootFromDisk()}, for a BMC that may not keep the valid bit at all (ipmi_sim
     * answers it clear right after it was set): there only the device tells.
     */
    public boolean nextBootFromDisk(boolean keepsValidBit) {
        return (keepsValidBit && !valid) || selector == NO_OVERRIDE || selector == BootDevice.DISK.selector()
                || selector == SAFE_MODE_DISK;
    }

    /** Whether these flags, read right after {@code device} was set valid, show the BMC dropped the valid bit. */
    public boolean dropsValidBit(BootDevice device) { return !valid && selector == device.selector(); }

    /** The device as ipmitool names it (chassis bootdev): pxe, disk, cdrom, bios, none, or the selector's bits. */
    public String device() {
        for (BootDevice d : BootDevice.values()) {
            if (d.selector() == selector) return d.name().toLowerCase(Locale.ROOT);
        }
        return switch (selector) {
            case NO_OVERRIDE -> "none";
            case SAFE_MODE_DISK -> "safe";
            case 0x10 -> "diag";
            case 0x1c -> "floppy";
            default -> String.format("selector 0x%02x", selector);
        };
    }

    /** "next boot from pxe (once)", "no boot device set (flags not valid; last: pxe)", as a report says it. */
    public String text() {
        if (!valid) return "no boot device set (boot flags not valid" + (selector == NO_OVERRIDE ? "" : "; last: " + device()) + ")";
        if (selector == NO_OVERRIDE) return "boot flags valid, no device forced (the BIOS boot order)";
        return (persistent ? "every boot from " : "next boot from ") + device() + (persistent ? " (persistent)" : " (once)");
    }

    /**
     * Reads the response data of Get System Boot Options for parameter 5 (after the completion code):
     * the parameter version, the parameter selector, then the five bytes of the boot flags.
     *
     * @throws IllegalArgumentException when it is short or answers another parameter
     */
    static BootFlags parse(byte[] data) {
        if (data.length < 4) throw new IllegalArgumentException("a boot options answer of " + data.length + " bytes, 4 at least expected");
        if ((data[1] & 0x7f) != 0x05) {
            throw new IllegalArgumentException(String.format("the answer is for boot option parameter %d, not 5", data[1] & 0x7f));
        }
        int flags = data[2] & 0xff;
        return new BootFlags((flags & 0x80) != 0, (flags & 0x40) != 0, data[3] & 0x3c);
    }
}
