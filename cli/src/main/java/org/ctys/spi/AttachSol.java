package org.ctys.spi;

import org.ctys.inventory.BmcSettings;

/**
 * Attach the local terminal to a machine's Serial-over-LAN until the user leaves with the
 * escape sequence. A plan of its own: it owns the terminal while it runs.
 *
 * @param force take the console over from another session that holds it
 */
public record AttachSol(String target, BmcSettings bmc, boolean force) implements Step {

    @Override
    public String describe() {
        return "ipmitool -I lanplus -C " + bmc.cipherSuite() + " -H " + bmc.address()
                + (bmc.port() == BmcSettings.DEFAULT_PORT ? "" : " -p " + bmc.port())
                + (bmc.user() == null ? "" : " -U " + bmc.user()) + (bmc.password() == null ? "" : " -E")
                + (bmc.bmcKey() == null ? "" : " -K")
                + (force ? " sol deactivate; ipmitool ... sol activate" : " sol activate")
                + "   # leave with ~. after a newline";
    }
}
