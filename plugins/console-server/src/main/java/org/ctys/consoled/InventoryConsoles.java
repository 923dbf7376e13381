package org.ctys.consoled;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ctys.grammar.NodeSet;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Inventory;
import org.ctys.inventory.Machine;

/**
 * The consoles an inventory gives: a guest of a kvm or xen host is a Guest console (its host is
 * that machine); a machine with {@code serial:} is a Serial console; else one with {@code bmc:} a
 * Sol console. {@code take} limits the kinds (a machine whose first kind is not taken falls to its
 * next). Each console carries its inventory groups, for {@code @group} in access rules.
 */
final class InventoryConsoles {

    static final List<String> KINDS = List.of("serial", "sol", "guest");

    private InventoryConsoles() {}

    static List<ConsoleDef> from(Inventory inventory, Set<String> take) {
        Map<String, Set<String>> groups = groupsOf(inventory);
        List<ConsoleDef> out = new ArrayList<>();
        for (Machine m : inventory.all().values()) {
            Endpoint e = endpoint(inventory, m, take);
            if (e != null) out.add(new ConsoleDef(m.name(), e, groups.getOrDefault(key(m.name()), Set.of())));
        }
        return out;
    }

    private static Endpoint endpoint(Inventory inventory, Machine m, Set<String> take) {
        if (m.isGuest() && take.contains("guest")) {
            Machine host = inventory.machine(m.parent()).orElse(null);
            if (host != null && host.hypervisor() != Hypervisor.NONE) {
                return new Endpoint.Guest(host.name(), m.name(), host.hypervisor(), host.uri());
            }
        }
        if (m.serial() != null && take.contains("serial")) return new Endpoint.Serial(m.serial());
        if (m.bmc() != null && take.contains("sol")) return new Endpoint.Sol(m.bmc());
        return null;
    }

    /** Machine name (lower case) to the groups it is in, directly or through groups of groups. */
    private static Map<String, Set<String>> groupsOf(Inventory inventory) {
        Map<String, Set<String>> out = new HashMap<>();
        for (String group : inventory.groups().keySet()) {
            for (String machine : members(inventory, group, new HashSet<>())) {
                out.computeIfAbsent(machine, k -> new LinkedHashSet<>()).add(group);
            }
        }
        return out;
    }

    private static Set<String> members(Inventory inventory, String group, Set<String> seen) {
        Set<String> out = new LinkedHashSet<>();
        if (!seen.add(key(group))) return out; // a cycle the inventory reader let through
        for (String member : inventory.group(group)) {
            if (member.startsWith("@")) out.addAll(members(inventory, member.substring(1), seen));
            else for (String name : NodeSet.expand(member)) out.add(key(name));
        }
        return out;
    }

    private static String key(String name) { return name.toLowerCase(Locale.ROOT); }
}
