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
    public java.util.List<SecretUse> secrets() { return SecretUse.ofBmc(bmc, true); }

    @Override
    public String describe() {
        return BmcPower.ipmitool(bmc)
                + (force ? " sol deactivate; ipmitool ... sol activate" : " sol activate")
                + "   # leave with ~. after a newline";
    }

    @Override
    public boolean ownsTheTerminal() { return true; }
}
