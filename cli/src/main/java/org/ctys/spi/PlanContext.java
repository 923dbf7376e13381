package org.ctys.spi;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.ctys.exit.CtysException;
import org.ctys.inventory.BmcSettings;
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

    /** The inventory's console server (its top-level console-server:), for -t console without SERVER:; empty when it names none. */
    default Optional<org.ctys.inventory.ConsoleServer> consoleServer() { return Optional.empty(); }

    /** The inventory's boot server (its top-level boot-server:), for -t boot without SERVER:; empty when it names none. */
    default Optional<org.ctys.inventory.BootServer> bootServer() { return Optional.empty(); }

    /** The IPv4 broadcast address of a local interface, if it has one. */
    Optional<InetAddress> interfaceBroadcast(String interfaceName);

    /** The local interfaces that have an IPv4 broadcast address, for "valid:" lists. */
    List<String> interfaceNames();

    /** An environment variable of this ctys (CTYS_VNCVIEWER); empty when unset. */
    default Optional<String> environment(String name) { return Optional.ofNullable(System.getenv(name)); }

    /** A program found on this host's PATH, as a shell would find it; empty when there is none. */
    Optional<Path> program(String name);

    /**
     * The BMC of a target, as the inventory gives it. A stack address (a guest) has none, and a
     * machine without a bmc entry is a configuration error: nothing is sent before either is found.
     *
     * @param what what is done through the BMC, for the message ("PM CANCEL", "Serial-over-LAN")
     */
    default BmcSettings bmc(Target t, String what) {
        if (!t.stack().isEmpty()) {
            throw CtysException.usage("'" + t.label() + "' is a stack address; " + what + " through a BMC acts on a physical"
                    + " machine, valid: '" + t.name() + "'");
        }
        if (t.machine() == null || t.machine().bmc() == null) {
            throw CtysException.config("no BMC known for '" + t.name() + "': give it a bmc: entry (address, user,"
                    + " password-file) in the inventory (" + inventorySource().orElse("none in use") + ")");
        }
        return t.machine().bmc();
    }
}
