package org.ctys.inventory;

import java.util.List;

/**
 * A YAML value with the line it starts on. Jackson's own tree forgets locations, and every
 * inventory error must name its line.
 */
sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {

    int line();

    enum Kind { TEXT, INTEGER, DECIMAL, TRUE, FALSE, NULL }

    /** {@code text} is the scalar as written, so MACs like 10:22:33:44:55:66 survive YAML's number rules. */
    record Scalar(String text, Kind kind, int line) implements YamlNode {
        /** {@code key:} with nothing after it, or {@code ~}: the same as leaving the key out. */
        boolean isEmpty() { return kind == Kind.NULL || text.isEmpty(); }
    }

    record Entry(String key, int line, YamlNode value) {}

    /** Entries in file order, duplicates kept, so the reader can report them with context. */
    record Mapping(List<Entry> entries, int line) implements YamlNode {}

    record Sequence(List<YamlNode> items, int line) implements YamlNode {}

    static String describe(YamlNode node) {
        if (node instanceof Mapping) return "a mapping";
        if (node instanceof Sequence) return "a list";
        return "'" + ((Scalar) node).text() + "'";
    }
}
