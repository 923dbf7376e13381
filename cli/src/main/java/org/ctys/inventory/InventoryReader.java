package org.ctys.inventory;

import java.util.List;
import java.util.Map;

/** Turns the YAML tree of one inventory file into an {@link Inventory}. */
final class InventoryReader {

    static final Schema TOP = Schema.of("defaults", "machines", "groups", "console-server");

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
                consoleServer(f.get("console-server"), values));
    }
}
