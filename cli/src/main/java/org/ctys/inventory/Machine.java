package org.ctys.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ctys.grammar.Mac;

/**
 * A machine named in the inventory, or a guest of one. Settings are already merged with the
 * inventory's defaults, so callers never consult the defaults themselves.
 *
 * @param host        address or DNS name; the machine's name when the file gives none
 * @param wol         never null; its fields may be
 * @param bmc         null when the machine has no BMC
 * @param ssh         never null; {@code jump} is never null
 * @param uri         the hypervisor's connection URI (virsh -c); null: the hypervisor's default (qemu:///system)
 * @param guests      in file order
 * @param console     how to reach a guest's console (e.g. virsh); null when not said
 * @param viaHostOnly the guest is reachable only through its host, never directly
 * @param parent      the name of the machine this one is a guest of; null for a top-level machine
 * @param vncPassword where the password of its VNC display is kept ({@code vnc:} password-file or password-env); null: none
 * @param serial      the machine's local serial line (a device on the host ctys runs on); null when it has none
 */
public record Machine(String name, String host, List<Mac> macs, WolSettings wol, BmcSettings bmc, SshSettings ssh,
                      Hypervisor hypervisor, String uri, Map<String, Machine> guests, String console, boolean viaHostOnly,
                      String parent, SecretRef vncPassword, SerialSettings serial) {

    /** A machine without a VNC password. */
    public Machine(String name, String host, List<Mac> macs, WolSettings wol, BmcSettings bmc, SshSettings ssh,
                   Hypervisor hypervisor, String uri, Map<String, Machine> guests, String console, boolean viaHostOnly,
                   String parent, SerialSettings serial) {
        this(name, host, macs, wol, bmc, ssh, hypervisor, uri, guests, console, viaHostOnly, parent, null, serial);
    }

    /** A machine without a serial line. */
    public Machine(String name, String host, List<Mac> macs, WolSettings wol, BmcSettings bmc, SshSettings ssh,
                   Hypervisor hypervisor, String uri, Map<String, Machine> guests, String console, boolean viaHostOnly,
                   String parent, SecretRef vncPassword) {
        this(name, host, macs, wol, bmc, ssh, hypervisor, uri, guests, console, viaHostOnly, parent, vncPassword, null);
    }

    public Machine {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        macs = List.copyOf(macs);
        Objects.requireNonNull(wol, "wol");
        Objects.requireNonNull(ssh, "ssh");
        Objects.requireNonNull(hypervisor, "hypervisor");
        // Map.copyOf would lose the file order that listings show.
        guests = guests.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(guests));
    }

    /** A machine without a VNC password or a serial line. */
    public Machine(String name, String host, List<Mac> macs, WolSettings wol, BmcSettings bmc, SshSettings ssh,
                   Hypervisor hypervisor, String uri, Map<String, Machine> guests, String console, boolean viaHostOnly,
                   String parent) {
        this(name, host, macs, wol, bmc, ssh, hypervisor, uri, guests, console, viaHostOnly, parent, null, (SerialSettings) null);
    }

    public boolean isGuest() { return parent != null; }
}
