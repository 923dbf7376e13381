package org.ctys.inventory;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ctys.exit.CtysException;

/**
 * The machines, guests and groups an inventory file names.
 *
 * @param machines top-level machines in file order (guests hang below them)
 * @param groups   group name (without '@') to its members exactly as written: machine names,
 *                 {@code @group} references and unexpanded nodesets
 * @param source   the file read; null for {@link #empty()}
 * @param all      every machine and guest by its name in lower case ({@link #key}), depth first in
 *                 file order, for O(1) lookup
 * @param defaultWol the defaults' wol block: how to wake a host the inventory does not name
 * @param consoleServer the top-level {@code console-server:}: where {@code -t console} finds its console server
 *                      unless SERVER: says; null when the file names none
 * @param bootServer the top-level {@code boot-server:}: where {@code -t boot} registers its jobs unless SERVER: says;
 *                   null when the file names none
 */
public record Inventory(List<Machine> machines, Map<String, List<String>> groups, Path source,
                        Map<String, Machine> all, WolSettings defaultWol, ConsoleServer consoleServer, BootServer bootServer) {

    private static final int GROUPS_SHOWN = 20;

    public Inventory {
        machines = List.copyOf(machines);
        LinkedHashMap<String, List<String>> g = new LinkedHashMap<>();
        groups.forEach((k, v) -> g.put(k, List.copyOf(v)));
        groups = Collections.unmodifiableMap(g);
        all = Collections.unmodifiableMap(new LinkedHashMap<>(all));
        if (defaultWol == null) defaultWol = WolSettings.NONE;
    }

    public Inventory(List<Machine> machines, Map<String, List<String>> groups, Path source,
                     Map<String, Machine> all, WolSettings defaultWol) {
        this(machines, groups, source, all, defaultWol, null, null);
    }

    public Inventory(List<Machine> machines, Map<String, List<String>> groups, Path source,
                     Map<String, Machine> all, WolSettings defaultWol, ConsoleServer consoleServer) {
        this(machines, groups, source, all, defaultWol, consoleServer, null);
    }

    /** As read back from the parsed copy: the index is built again. */
    public Inventory(List<Machine> machines, Map<String, List<String>> groups, Path source, WolSettings defaultWol,
                     ConsoleServer consoleServer) {
        this(machines, groups, source, index(machines), defaultWol, consoleServer, null);
    }

    /** As read back from the parsed copy, with a boot server: the index is built again. */
    public Inventory(List<Machine> machines, Map<String, List<String>> groups, Path source, WolSettings defaultWol,
                     ConsoleServer consoleServer, BootServer bootServer) {
        this(machines, groups, source, index(machines), defaultWol, consoleServer, bootServer);
    }

    /** Builds the lookup index from the machines; names must be unique across guests too. */
    public Inventory(List<Machine> machines, Map<String, List<String>> groups, Path source) {
        this(machines, groups, source, index(machines), WolSettings.NONE);
    }

    public Inventory(List<Machine> machines, Map<String, List<String>> groups, Path source, WolSettings defaultWol) {
        this(machines, groups, source, index(machines), defaultWol);
    }

    /** What ctys works with when no inventory file exists: targets are then plain host names. */
    public static Inventory empty() { return new Inventory(List.of(), Map.of(), null); }

    /**
     * The machine or guest with this name, in any case: host names are case-insensitive, as
     * they are for DNS, /etc/ethers and ssh_config, so {@code LAB01} finds lab01.
     */
    public Optional<Machine> machine(String name) { return Optional.ofNullable(all.get(key(name))); }

    /**
     * The members of a group as written; a leading '@' on {@code name} is optional, and case
     * does not matter. Nodesets and nested groups are left for the caller to expand.
     */
    public List<String> group(String name) {
        String bare = name.startsWith("@") ? name.substring(1) : name;
        List<String> members = groups.get(bare);
        if (members == null) {
            for (Map.Entry<String, List<String>> g : groups.entrySet()) {
                if (key(g.getKey()).equals(key(bare))) members = g.getValue();
            }
        }
        if (members == null) {
            throw CtysException.config("unknown group '@" + bare + "' in "
                    + (source == null ? "the inventory (no inventory file was found)" : source.toString())
                    + "; known groups: " + knownGroups());
        }
        return members;
    }

    private String knownGroups() {
        if (groups.isEmpty()) return "none";
        StringBuilder b = new StringBuilder();
        int shown = 0;
        for (String g : groups.keySet()) {
            if (shown == GROUPS_SHOWN) {
                return b.append(", ... (").append(groups.size() - shown).append(" more)").toString();
            }
            if (shown++ > 0) b.append(", ");
            b.append('@').append(g);
        }
        return b.toString();
    }

    private static Map<String, Machine> index(List<Machine> machines) {
        Map<String, Machine> index = new LinkedHashMap<>();
        for (Machine m : machines) add(index, m);
        return index;
    }

    /** What a machine's (and a guest's) name may be, for messages. */
    public static final String NAME_FORM = MachineReader.NAME_FORM;

    /**
     * The lookup key of a machine or group name: ASCII letters in lower case, nothing else
     * changed (names are ASCII; {@code String.toLowerCase} would also fold the Kelvin sign to 'k').
     */
    public static String key(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = name.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] >= 'A' && chars[j] <= 'Z') chars[j] += 'a' - 'A';
                }
                return new String(chars);
            }
        }
        return name;
    }

    private static void add(Map<String, Machine> index, Machine m) {
        if (index.putIfAbsent(key(m.name()), m) != null) {
            throw new IllegalArgumentException("duplicate machine name '" + m.name() + "'");
        }
        for (Machine guest : m.guests().values()) add(index, guest);
    }
}
