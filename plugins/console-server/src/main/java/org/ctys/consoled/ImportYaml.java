package org.ctys.consoled;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The YAML text of an imported configuration: scalars, flow mappings and comments written by
 * hand (so each console can carry the comment saying where it came from) in a form every YAML 1.1
 * reader, SnakeYAML under Jackson included, reads back as the same strings, numbers and booleans.
 */
final class ImportYaml {

    /** Written without quotes: cannot be read as a number, boolean, null, or YAML syntax. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z/_][A-Za-z0-9/_.-]*");
    private static final Set<String> RESERVED = Set.of("true", "false", "yes", "no", "on", "off", "y", "n", "null");

    private ImportYaml() {}

    /** A string as a scalar: plain when that cannot change its meaning, else double-quoted. */
    static String text(String s) {
        if (PLAIN.matcher(s).matches() && !RESERVED.contains(s.toLowerCase(Locale.ROOT))) return s;
        return org.ctys.inventory.YamlText.doubleQuoted(s);
    }

    /** A value: String, Integer, Boolean, a List of them, or a Map written in flow style. */
    static String value(Object v) {
        if (v instanceof String s) return text(s);
        if (v instanceof Integer || v instanceof Long || v instanceof Boolean) return v.toString();
        if (v instanceof List<?> list) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) b.append(i == 0 ? "" : ", ").append(value(list.get(i)));
            return b.append(']').toString();
        }
        if (v instanceof Map<?, ?> map) {
            StringBuilder b = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                b.append(first ? "" : ", ").append(text((String) e.getKey())).append(": ").append(value(e.getValue()));
                first = false;
            }
            return b.append('}').toString();
        }
        throw new IllegalArgumentException("no YAML form for " + v.getClass());
    }

    /** A comment's text on one line: control characters (a newline would end the comment) shown as '?'. */
    static String comment(String s) {
        return org.ctys.inventory.YamlText.comment(s);
    }

}
