package org.ctys.spi;

import java.time.Duration;
import org.ctys.grammar.Durations;
import org.ctys.inventory.BmcSettings;

/**
 * A power procedure through a machine's BMC (IPMI over LAN). The engine reads the power state
 * first, so that a machine already in the wanted state is left alone, and confirms every change
 * by reading it again.
 *
 * @param boot    a boot device for the next boot (PXE, DISK, CDROM, BIOS) set before powering on, or null
 * @param grace   how long a soft off may take before a hard one (OFF, REBOOT); null elsewhere
 * @param finish  whether success finishes the target (false: waiting for it to answer follows)
 * @param policy  what an already powered machine means to CREATE: NONE, REUSE, CONNECT (others ignore it)
 */
public record BmcPower(String target, BmcSettings bmc, Procedure procedure, String boot, Duration grace,
                       boolean finish, String policy) implements Step {

    /** What is to be done, as a sysadmin would say it. */
    public enum Procedure {
        /** read the power state only */
        STATUS,
        /** power on (after setting the boot device); a machine that is on is left alone */
        ON,
        /** soft off (ACPI), then a hard power off when it is still on after the grace */
        OFF,
        /** hard power off at once */
        OFF_HARD,
        /** soft off, wait, power on; a power cycle when the soft off does not finish within the grace */
        REBOOT,
        /** a hard power cycle at once */
        CYCLE,
        /** a hard reset */
        RESET,
        /**
         * set the boot device for the next boot only, then power on, or power cycle a machine that is
         * on: the machine boots from that device now, whatever it was doing
         */
        BOOT_ONCE
    }

    /** {@code ipmitool -I lanplus -C 17 -H ADDRESS [-p PORT] [-U USER] [-E]}: -E, the password from $IPMI_PASSWORD. */
    static String ipmitool(BmcSettings bmc) {
        return "ipmitool -I lanplus -C " + bmc.cipherSuite() + " -H " + ShellWords.quote(bmc.address())
                + (bmc.port() == BmcSettings.DEFAULT_PORT ? "" : " -p " + bmc.port())
                + (bmc.user() == null ? "" : " -U " + ShellWords.quote(bmc.user())) + (bmc.password() == null ? "" : " -E")
                + (bmc.bmcKey() == null ? "" : " -K");
    }

    /** A power status changes nothing: it runs, and fails alone, without a secret that cannot be read. */
    @Override
    public java.util.List<SecretUse> secrets() { return SecretUse.ofBmc(bmc, procedure != Procedure.STATUS); }

    @Override
    public String describe() {
        String ipmitool = ipmitool(bmc);
        String g = grace == null ? "" : Durations.format(grace);
        return switch (procedure) {
            case STATUS -> ipmitool + " chassis power status";
            case ON -> (boot == null ? "" : ipmitool + " chassis bootdev "
                    + ShellWords.quote(boot.toLowerCase(java.util.Locale.ROOT)) + "; ")
                    + ipmitool + " chassis power on   # unless on; then until status is on";
            case OFF -> ipmitool + " chassis power soft   # unless off; wait up to " + g + " for off, else: power off";
            case OFF_HARD -> ipmitool + " chassis power off   # unless off; then until status is off";
            case REBOOT -> ipmitool + " chassis power soft; wait up to " + g + " for off; " + ipmitool
                    + " chassis power on   # a power cycle if still on; power on if it was off";
            case CYCLE -> ipmitool + " chassis power cycle   # power on if it was off";
            case RESET -> ipmitool + " chassis power reset   # fails when the machine is off";
            case BOOT_ONCE -> ipmitool + " chassis bootdev " + ShellWords.quote(boot.toLowerCase(java.util.Locale.ROOT))
                    + "; " + ipmitool + " chassis power on   # or: chassis power cycle, when it is on";
        };
    }
}
