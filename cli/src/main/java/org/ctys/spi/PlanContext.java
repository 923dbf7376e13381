package org.ctys.spi;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.ctys.inventory.Machine;
import org.ctys.inventory.WolSettings;
import org.ctys.grammar.Mac;

/**
 * What a plugin may ask while planning: facts of the inventory and of the local host. Nothing
 * here changes anything or talks to another machine.
 */
public interface PlanContext {

    /** A machine (or guest) of the inventory by name. */
    Optional<Machine> machine(String name);

    /** All machines of the inventory, in file order. */
    List<Machine> machines();

    /** The inventory file in use, for messages; empty when there is none. */
    Optional<String> inventorySource();

    /** A MAC from /etc/ethers for a host name or address. */
    Optional<Mac> ethers(String host);

    /** How to wake a host the inventory does not name: its defaults' wol block (never null). */
    WolSettings defaultWol();

    /** The IPv4 broadcast address of a local interface, if it has one. */
    Optional<InetAddress> interfaceBroadcast(String interfaceName);

    /** The local interfaces that have an IPv4 broadcast address, for "valid:" lists. */
    List<String> interfaceNames();

    /** A program found on this host's PATH, as a shell would find it; empty when there is none. */
    Optional<Path> program(String name);
}
