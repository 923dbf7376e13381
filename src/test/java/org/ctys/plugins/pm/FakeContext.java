package org.ctys.plugins.pm;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.ctys.exit.CtysException;
import org.ctys.grammar.Mac;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Machine;
import org.ctys.inventory.SshSettings;
import org.ctys.inventory.WolSettings;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Target;

/** A plan context from maps: inventory machines, /etc/ethers lines and local interfaces. */
final class FakeContext implements PlanContext {
    final Map<String, Machine> machines = new LinkedHashMap<>();
    final Map<String, Mac> ethers = new HashMap<>();
    final Map<String, String> interfaces = new HashMap<>();
    final List<String> interfacesAsked = new ArrayList<>();

    static Machine machine(String name, String host, String... macs) {
        return machine(name, host, WolSettings.NONE, macs);
    }

    static Machine machine(String name, String host, WolSettings wol, String... macs) {
        List<Mac> parsed = new ArrayList<>();
        for (String m : macs) parsed.add(Mac.parse(m));
        return new Machine(name, host, parsed, wol, null, new SshSettings(null, null, List.of()), Hypervisor.NONE,
                null, Map.of(), null, false, null);
    }

    FakeContext add(Machine m) {
        machines.put(m.name(), m);
        return this;
    }

    FakeContext ether(String host, String mac) {
        ethers.put(host, Mac.parse(mac));
        return this;
    }

    FakeContext iface(String name, String broadcast) {
        interfaces.put(name, broadcast);
        return this;
    }

    /** A target as the resolver makes it: the inventory's entry attached when there is one. */
    Target target(String name) {
        return new Target(name, null, List.of(), machines.get(name), null);
    }

    @Override
    public Optional<Machine> machine(String name) { return Optional.ofNullable(machines.get(name)); }

    @Override
    public List<Machine> machines() { return List.copyOf(machines.values()); }

    @Override
    public Optional<String> inventorySource() { return Optional.of("/etc/ctys/inventory.yaml"); }

    @Override
    public Optional<Mac> ethers(String host) { return Optional.ofNullable(ethers.get(host)); }

    WolSettings defaultWol = WolSettings.NONE;

    @Override
    public WolSettings defaultWol() { return defaultWol; }

    @Override
    public Optional<InetAddress> interfaceBroadcast(String interfaceName) {
        interfacesAsked.add(interfaceName);
        String b = interfaces.get(interfaceName);
        if (b == null) return Optional.empty();
        try {
            return Optional.of(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<String> interfaceNames() { return List.copyOf(new TreeSet<>(interfaces.keySet())); }

    @Override
    public Optional<java.nio.file.Path> program(String name) { return Optional.empty(); }
}
