package org.ctys.inventory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code groups}. Members stay as written; expanding nodesets is the target grammar's job.
 * What can be checked here is checked here, so a typo fails at load time with its line.
 */
final class GroupReader {

    private final Values values;
    private final Map<String, List<YamlNode.Scalar>> members = new LinkedHashMap<>();

    GroupReader(Values values) { this.values = values; }

    /** @param machines every machine and guest name */
    Map<String, List<String>> groups(YamlNode node, Set<String> machines) {
        if (node == null) return Map.of();
        Map<String, Integer> lines = new HashMap<>();
        for (YamlNode.Entry e : values.mapping(node, "groups").entries()) {
            if (!MachineReader.NAME.matcher(e.key()).matches()) {
                throw values.source().error(e.line(), "bad group name '" + e.key()
                        + "': use letters, digits, '.', '_' and '-', starting with a letter, digit or '_'");
            }
            Integer first = lines.putIfAbsent(e.key(), e.line());
            if (first != null) {
                throw values.source().error(e.line(), "duplicate group '" + e.key() + "' (first defined at line " + first + ")");
            }
            members.put(e.key(), values.scalars(e.value() instanceof YamlNode.Scalar s && s.isEmpty() ? null : e.value(),
                    "group '" + e.key() + "'"));
        }
        // References may point forward, so members are checked once every group is known.
        Map<String, List<String>> out = new LinkedHashMap<>();
        members.forEach((group, list) -> {
            List<String> texts = new ArrayList<>(list.size());
            for (YamlNode.Scalar m : list) {
                check(group, m, machines);
                texts.add(m.text().strip());
            }
            out.put(group, texts);
        });
        new CycleCheck().run();
        return out;
    }

    private void check(String group, YamlNode.Scalar member, Set<String> machines) {
        String text = member.text().strip();
        if (text.indexOf('[') >= 0) {
            if (text.indexOf('[') == 0) {
                throw values.source().error(member.line(), "nodeset '" + text + "' in group '" + group
                        + "' has no name before '['");
            }
        } else if (text.startsWith("@")) {
            if (!members.containsKey(text.substring(1))) {
                throw values.source().error(member.line(), "group '" + group + "' refers to unknown group '" + text + "'");
            }
        } else if (!machines.contains(text)) {
            throw values.source().error(member.line(), "group '" + group + "' refers to unknown machine '" + text + "'");
        }
    }

    /** A group that contains itself, directly or through others, could never be expanded. */
    private final class CycleCheck {
        private final Map<String, Boolean> done = new HashMap<>(); // false: on the current path

        void run() {
            for (String g : members.keySet()) visit(g);
        }

        private void visit(String group) {
            if (done.containsKey(group)) return;
            done.put(group, false);
            for (YamlNode.Scalar m : members.get(group)) {
                String text = m.text().strip();
                if (!text.startsWith("@") || text.indexOf('[') >= 0) continue;
                String ref = text.substring(1);
                if (Boolean.FALSE.equals(done.get(ref))) {
                    throw values.source().error(m.line(), "group '" + group + "' includes " + (ref.equals(group)
                            ? "itself" : "'" + text + "', which includes '@" + group + "' again"));
                }
                visit(ref);
            }
            done.put(group, true);
        }
    }
}
