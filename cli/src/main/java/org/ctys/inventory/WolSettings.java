package org.ctys.inventory;

/**
 * How to send a Wake-on-LAN packet to a machine. Every field may be null, meaning "not
 * said": the sender falls back to its own defaults (limited broadcast, port 9).
 *
 * @param gateway a host that sends the packet on our behalf, for machines on another subnet
 */
public record WolSettings(String broadcast, Integer port, String interfaceName, SecretRef secureOn, String gateway) {

    public static final WolSettings NONE = new WolSettings(null, null, null, null, null);

    /** Field by field, what this block says wins; what it leaves out comes from {@code defaults}. */
    public WolSettings orElse(WolSettings defaults) {
        return new WolSettings(
                broadcast != null ? broadcast : defaults.broadcast,
                port != null ? port : defaults.port,
                interfaceName != null ? interfaceName : defaults.interfaceName,
                secureOn != null ? secureOn : defaults.secureOn,
                gateway != null ? gateway : defaults.gateway);
    }

    /** A gateway cannot wake itself; a default gateway must not apply to the gateway machine. */
    WolSettings forMachine(String name) {
        return name.equalsIgnoreCase(gateway) ? new WolSettings(broadcast, port, interfaceName, secureOn, null) : this;
    }
}
