package org.ctys.inventory;

import java.util.List;
import java.util.Map;

/** Turns the YAML tree of one inventory file into an {@link Inventory}. */
final class InventoryReader {

    static final Schema TOP = Schema.of("defaults", "machines", "groups", "console-server", "boot-server");
    static final Schema BOOT_SERVER = Schema.of("ssh", "config");

    private InventoryReader() {}

    /** {@code console-server: [USER@]HOST[:PORT]}: the console server of {@code -t console}. */
    private static ConsoleServer consoleServer(YamlNode node, Values values) {
        String text = values.text(node, "console-server");
        if (text == null) return null;
        try {
            return ConsoleServer.parse(text);
        } catch (IllegalArgumentException e) {
            throw values.source().error(node.line(), "bad console-server '" + text + "': " + e.getMessage());
        }
    }

    /** {@code boot-server: {ssh: [USER@]HOST[:PORT], config: PATH}}: the boot server of {@code -t boot}. */
    private static BootServer bootServer(YamlNode node, Values values) {
        if (node == null) return null;
        Fields f = Fields.of(values.mapping(node, "boot-server"), BOOT_SERVER, "boot-server", values.source());
        String ssh = values.text(f.get("ssh"), "ssh of boot-server");
        if (ssh == null) throw values.source().error(node.line(), "boot-server needs ssh: [USER@]HOST[:PORT]");
        String config = values.text(f.get("config"), "config of boot-server");
        if (config != null && !config.startsWith("/")) {
            throw values.source().error(f.get("config").line(), "bad config of boot-server '" + config
                    + "': the path of ctys-bootd's configuration on the server, absolute (default " + BootServer.DEFAULT_CONFIG + ")");
        }
        try {
            return BootServer.parse(ssh, config);
        } catch (IllegalArgumentException e) {
            throw values.source().error(f.get("ssh").line(), "bad ssh of boot-server '" + ssh + "': " + e.getMessage());
        }
    }

    static Inventory read(YamlNode root, Source source) {
        if (root == null) return new Inventory(List.of(), Map.of(), source.file());
        Values values = new Values(source);
        YamlNode.Mapping top = root instanceof YamlNode.Mapping m ? m : null;
        if (top == null) {
            throw source.error(root.line(), "an inventory is a mapping with the keys " + TOP.listing()
                    + ", not " + YamlNode.describe(root));
        }
        Fields f = Fields.of(top, TOP, "the inventory", source);
        Defaults defaults = Defaults.read(f.get("defaults"), values);
        List<Machine> machines = new MachineReader(values, defaults).machines(f.get("machines"));
        Inventory withoutGroups = new Inventory(machines, Map.of(), source.file());
        Map<String, List<String>> groups = new GroupReader(values).groups(f.get("groups"), withoutGroups.all().keySet());
        return new Inventory(machines, groups, source.file(), withoutGroups.all(), defaults.wol(),
                consoleServer(f.get("console-server"), values), bootServer(f.get("boot-server"), values));
    }
}
