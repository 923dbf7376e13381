package org.ctys.transport.ipmi;

/** The requests of IPMI's Chassis Control command (IPMI v2.0, 28.3), by their codes. */
public enum ChassisAction {
    /** power down at once, without asking the operating system */
    OFF(0x00, "power off"),
    ON(0x01, "power on"),
    /** power down, then up again after the BMC's own interval */
    CYCLE(0x02, "power cycle"),
    /** a hard reset, as the reset button */
    RESET(0x03, "hard reset"),
    /** an ACPI soft shutdown: the operating system is asked to halt */
    SOFT(0x05, "soft off (ACPI)");

    private final int code;
    private final String text;

    ChassisAction(int code, String text) {
        this.code = code;
        this.text = text;
    }

    int code() { return code; }

    public String text() { return text; }
}
