package org.ctys.spi;

import java.util.List;
import org.ctys.inventory.BmcSettings;

/**
 * Read a machine's boot flags through its BMC (IPMI Get System Boot Options, parameter 5) after a
 * boot that was to happen once: when the next boot goes to the disk again, {@code then} is the
 * target's verdict, with that said after its message; when a boot device is still set, the target
 * fails, saying which.
 */
public record BootFlagsCheck(String target, BmcSettings bmc, Verdict then) implements Step {

    @Override
    public List<SecretUse> secrets() { return SecretUse.ofBmc(bmc, true); }

    @Override
    public String describe() {
        return BmcPower.ipmitool(bmc) + " chassis bootparam get 5   # the next boot must go to the disk again";
    }
}
