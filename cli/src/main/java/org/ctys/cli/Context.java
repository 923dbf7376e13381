package org.ctys.cli;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ctys.grammar.Mac;
import org.ctys.inventory.Ethers;
import org.ctys.inventory.Inventory;
import org.ctys.inventory.InventoryLoader;
import org.ctys.inventory.Machine;
import org.ctys.inventory.WolSettings;
import org.ctys.os.Interfaces;
import org.ctys.spi.PlanContext;

/**
 * What plugins may ask while planning. The inventory and /etc/ethers are read the first time
 * they are needed, so a command that needs neither never pays for them.
 */
final class Context implements PlanContext {
    private final Path explicitInventory;
    private final Map<String, String> env;
    private final Path home;
    private final Path systemInventory;
    private final Path ethersFile;
    private Inventory inventory;
    private Ethers ethers;

    Context(Path explicitInventory, Map<String, String> env, Path home, Path systemInventory, Path ethersFile) {
        this.explicitInventory = explicitInventory;
        this.env = env;
        this.home = home;
        this.systemInventory = systemInventory;
        this.ethersFile = ethersFile;
    }

    static Context standard(Path explicitInventory, Map<String, String> env) {
        String h = env.getOrDefault("HOME", System.getProperty("user.home"));
        Path system = Path.of(env.getOrDefault("CTYS_SYSTEM_INVENTORY", InventoryLoader.SYSTEM_FILE.toString()));
        Path eth = Path.of(env.getOrDefault("CTYS_ETHERS", Ethers.SYSTEM_FILE.toString()));
        return new Context(explicitInventory, env, Path.of(h), system, eth);
    }

    Inventory inventory() {
        if (inventory == null) inventory = InventoryLoader.load(explicitInventory, env, home, systemInventory);
        return inventory;
    }

    @Override
    public Optional<Machine> machine(String name) { return inventory().machine(name); }

    @Override
    public List<Machine> machines() { return new ArrayList<>(inventory().all().values()); }

    @Override
    public Optional<String> inventorySource() {
        Path src = inventory().source();
        return src == null ? Optional.empty() : Optional.of(src.toString());
    }

    @Override
    public Optional<Mac> ethers(String host) {
        if (ethers == null) ethers = Ethers.load(ethersFile);
        return ethers.lookup(host);
    }

    @Override
    public WolSettings defaultWol() { return inventory().defaultWol(); }

    @Override
    public Optional<org.ctys.inventory.ConsoleServer> consoleServer() { return Optional.ofNullable(inventory().consoleServer()); }

    @Override
    public Optional<org.ctys.inventory.BootServer> bootServer() { return Optional.ofNullable(inventory().bootServer()); }

    @Override
    public Optional<InetAddress> interfaceBroadcast(String name) {
        return Interfaces.ipv4(name).map(Interfaces.Ipv4::broadcast);
    }

    @Override
    public List<String> interfaceNames() { return Interfaces.namesWithBroadcast(); }

    @Override
    public Optional<String> environment(String name) { return Optional.ofNullable(env.get(name)); }

    @Override
    public Optional<Path> program(String name) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (java.nio.file.Files.isRegularFile(p) && java.nio.file.Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }
}
