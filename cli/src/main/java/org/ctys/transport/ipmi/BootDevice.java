package org.ctys.transport.ipmi;

/**
 * Boot devices of the Boot Flags parameter (IPMI v2.0, table 28-14, data 2, bits 5:2) as set with
 * Set System Boot Options.
 */
public enum BootDevice {
    PXE(0x04), DISK(0x08), CDROM(0x14), BIOS(0x18);

    private final int selector;

    BootDevice(int selector) { this.selector = selector; }

    int selector() { return selector; }
}
