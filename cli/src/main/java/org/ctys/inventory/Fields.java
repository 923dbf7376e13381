package org.ctys.inventory;

import java.util.HashMap;
import java.util.Map;

/**
 * The entries of one mapping, checked against its {@link Schema}: unknown keys are errors so
 * that a typo such as 'mca' is reported instead of silently ignored.
 */
final class Fields {
    private final Map<String, YamlNode.Entry> byKey;

    private Fields(Map<String, YamlNode.Entry> byKey) { this.byKey = byKey; }

    static Fields of(YamlNode.Mapping mapping, Schema schema, String context, Source source) {
        Map<String, YamlNode.Entry> byKey = new HashMap<>();
        for (YamlNode.Entry e : mapping.entries()) {
            String hint = schema.refused().get(e.key());
            if (hint != null) {
                throw source.error(e.line(), "inline " + e.key() + " is not allowed for " + context + "; " + hint);
            }
            if (!schema.keySet().contains(e.key())) {
                throw source.error(e.line(), "unknown key '" + e.key() + "' in " + context
                        + " (valid: " + schema.listing() + ")");
            }
            YamlNode.Entry first = byKey.putIfAbsent(e.key(), e);
            if (first != null) {
                throw source.error(e.line(), "duplicate key '" + e.key() + "' in " + context
                        + " (first at line " + first.line() + ")");
            }
        }
        return new Fields(byKey);
    }

    /** The value, or null when the key is absent or has an empty value. */
    YamlNode get(String key) {
        YamlNode.Entry e = byKey.get(key);
        if (e == null) return null;
        return e.value() instanceof YamlNode.Scalar s && s.isEmpty() ? null : e.value();
    }
}
