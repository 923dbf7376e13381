package org.ctys.inventory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ctys.exit.CtysException;
import org.ctys.grammar.NodeSet;
import org.ctys.grammar.TargetParser;
import org.ctys.grammar.TargetSpec;

/**
 * Reads {@code groups}. Members stay as written; expanding them is the target grammar's job when
 * a command names the group. But each member is read here with that same grammar, so a member
 * that could never be a target ({@code -d[3]}, {@code x$(id)}, {@code root@lab01}) or that names
 * a machine the inventory does not have fails at load time with its line: a node set such as
 * {@code lab[02-09]} is held to the same rule as a single name.
 */
final class GroupReader {

    static final String MEMBER_FORM = "a machine name, a node set of machine names such as lab[01-16], or @GROUP";
    /** All members of all groups, expanded: more is a typo in a node set, not a site. */
    static final int MAX_NAMES = 1_000_000;

    private final Values values;
    /** Group name in lower case to its members. */
    private final Map<String, List<YamlNode.Scalar>> members = new LinkedHashMap<>();
    /** Group name in lower case to the name as written, for messages and the result. */
    private final Map<String, String> written = new HashMap<>();
    private long expanded;
    /** Group key to the machines its own members name (without its groups). */
    private final Map<String, Long> direct = new HashMap<>();

    GroupReader(Values values) { this.values = values; }

    /** @param machines every machine and guest name, in lower case ({@link Inventory#key}) */
    Map<String, List<String>> groups(YamlNode node, Set<String> machines) {
        if (node == null) return Map.of();
        Map<String, Integer> lines = new HashMap<>();
        for (YamlNode.Entry e : values.mapping(node, "groups").entries()) {
            if (!MachineReader.NAME.matcher(e.key()).matches()) {
                throw values.source().error(e.line(), "bad group name '" + e.key()
                        + "': use letters, digits, '.', '_' and '-', starting with a letter, digit or '_'");
            }
            String key = Inventory.key(e.key());
            Integer first = lines.putIfAbsent(key, e.line());
            if (first != null) {
                throw values.source().error(e.line(), "duplicate group '" + e.key() + "' (first defined at line " + first
                        + "; case does not count)");
            }
            written.put(key, e.key());
            members.put(key, values.scalars(e.value() instanceof YamlNode.Scalar s && s.isEmpty() ? null : e.value(),
                    "group '" + e.key() + "'"));
        }
        // References may point forward, so members are checked once every group is known.
        Map<String, List<String>> out = new LinkedHashMap<>();
        members.forEach((key, list) -> {
            String group = written.get(key);
            List<String> texts = new ArrayList<>(list.size());
            for (YamlNode.Scalar m : list) {
                direct.merge(key, check(group, m, machines), Long::sum);
                texts.add(m.text().strip());
            }
            out.put(group, texts);
        });
        new CycleCheck().run();
        return out;
    }

    /** @return the machines the member names itself (0 for a reference to a group) */
    private long check(String group, YamlNode.Scalar member, Set<String> machines) {
        String text = member.text().strip();
        if (text.startsWith("[")) {
            throw values.source().error(member.line(), "nodeset '" + text + "' in group '" + group
                    + "' has no name before '['; valid: " + MEMBER_FORM);
        }
        List<TargetSpec> specs;
        try {
            specs = TargetParser.parse(List.of(text));
        } catch (CtysException e) {
            String reason = e.getMessage();
            String prefix = "bad target '" + text + "': ";
            throw bad(group, member, reason.startsWith(prefix) ? reason.substring(prefix.length()) : reason);
        }
        if (text.startsWith("@")) {
            if (specs.size() != 1 || specs.get(0).kind() != TargetSpec.Kind.GROUP || !specs.get(0).options().isEmpty()) {
                throw bad(group, member, "a group reference is one @GROUP");
            }
            if (!members.containsKey(Inventory.key(specs.get(0).name()))) {
                throw values.source().error(member.line(), "group '" + group + "' refers to unknown group '" + text + "'");
            }
            return 0;
        }
        List<String> missing = new ArrayList<>();
        for (TargetSpec s : specs) {
            if (s.kind() != TargetSpec.Kind.HOST || s.user() != null || !s.options().isEmpty()) {
                throw bad(group, member, "a member names machines only, without USER@, guests in brackets or options");
            }
            if (!machines.contains(Inventory.key(s.name()))) missing.add(s.name());
        }
        expanded += specs.size();
        if (expanded > MAX_NAMES) {
            throw values.source().error(member.line(), "the groups name more than " + MAX_NAMES
                    + " machines in all, the limit for an inventory");
        }
        if (missing.size() == 1 && specs.size() == 1) {
            throw values.source().error(member.line(), "group '" + group + "' refers to unknown machine '" + text + "'");
        }
        if (!missing.isEmpty()) {
            throw values.source().error(member.line(), "group '" + group + "' refers to unknown machine"
                    + (missing.size() == 1 ? " " : "s ") + NodeSet.fold(missing) + " (in '" + text + "')");
        }
        return specs.size();
    }

    private CtysException bad(String group, YamlNode.Scalar member, String reason) {
        return values.source().error(member.line(), "bad member '" + member.text().strip() + "' of group '" + group
                + "': " + reason + "; valid: " + MEMBER_FORM);
    }

    /**
     * A group that contains itself, directly or through others, could never be expanded; one that
     * expands to more than {@link #MAX_NAMES} machines (groups of groups: ten references to a group
     * of ten, nine levels deep, are a billion) would exhaust memory when a command names it.
     */
    private final class CycleCheck {
        private final Map<String, Boolean> done = new HashMap<>(); // false: on the current path
        private final Map<String, Long> sizes = new HashMap<>(); // machines a group expands to, repeats counted

        void run() {
            for (String g : members.keySet()) visit(g);
        }

        private long visit(String group) {
            if (done.containsKey(group)) return sizes.getOrDefault(group, 0L);
            done.put(group, false);
            long size = direct.getOrDefault(group, 0L);
            for (YamlNode.Scalar m : members.get(group)) {
                String text = m.text().strip();
                if (!text.startsWith("@")) continue;
                String ref = Inventory.key(text.substring(1));
                if (Boolean.FALSE.equals(done.get(ref))) {
                    String name = written.get(group);
                    throw values.source().error(m.line(), "group '" + name + "' includes " + (ref.equals(group)
                            ? "itself" : "'" + text + "', which includes '@" + name + "' again"));
                }
                size += visit(ref);
                if (size > MAX_NAMES) {
                    throw values.source().error(m.line(), "group '" + written.get(group) + "' expands to more than "
                            + MAX_NAMES + " machines through its groups, the limit for an inventory");
                }
            }
            sizes.put(group, size);
            done.put(group, true);
            return size;
        }
    }
}
