package org.ctys.inventory;

import java.util.ArrayList;
import java.util.List;
import org.ctys.grammar.Names;

/** Converts YAML values to the types the inventory needs, failing with the value's line. */
final class Values {
    private final Source source;

    Values(Source source) { this.source = source; }

    Source source() { return source; }

    YamlNode.Mapping mapping(YamlNode node, String what) {
        if (node instanceof YamlNode.Mapping m) return m;
        throw source.error(node.line(), what + " must be a mapping of keys to values, not " + YamlNode.describe(node));
    }

    /** A single value as written; numbers and booleans are taken as their text. */
    String text(YamlNode node, String what) {
        if (node == null) return null;
        if (node instanceof YamlNode.Scalar s) return s.text().strip();
        throw source.error(node.line(), what + " must be a single value, not " + YamlNode.describe(node));
    }

    /** A host name, IPv4 or IPv6 address, as the target grammar reads one; an IPv6 address loses its brackets. */
    String host(YamlNode node, String what) {
        String text = text(node, what);
        if (text == null) return null;
        String host = HostSyntax.host(text);
        if (host == null) {
            throw source.error(node.line(), "bad " + what + ": '" + text + "'; expected " + HostSyntax.HOST_FORM);
        }
        return host;
    }

    /** A user name as -l takes it, so it can never become an option of a command. */
    String user(YamlNode node, String what) {
        String text = text(node, what);
        if (text != null && !Names.isUser(text)) {
            throw source.error(node.line(), "bad " + what + ": '" + text + "'; expected " + Names.USER_FORM);
        }
        return text;
    }

    Integer integer(YamlNode node, String what, int min, int max) {
        if (node == null) return null;
        String text = text(node, what);
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw source.error(node.line(), what + " must be a whole number between " + min + " and " + max
                    + ", not '" + text + "'");
        }
        if (value < min || value > max) {
            throw source.error(node.line(), what + " must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }

    boolean bool(YamlNode node, String what, boolean absent) {
        if (node == null) return absent;
        if (node instanceof YamlNode.Scalar s && s.kind() == YamlNode.Kind.TRUE) return true;
        if (node instanceof YamlNode.Scalar s && s.kind() == YamlNode.Kind.FALSE) return false;
        throw source.error(node.line(), what + " must be true or false, not " + YamlNode.describe(node));
    }

    /** A list of single values; one value alone stands for a list of one. */
    List<YamlNode.Scalar> scalars(YamlNode node, String what) {
        if (node == null) return List.of();
        if (node instanceof YamlNode.Scalar s) return List.of(s);
        if (node instanceof YamlNode.Sequence seq) {
            List<YamlNode.Scalar> out = new ArrayList<>(seq.items().size());
            for (YamlNode item : seq.items()) {
                if (!(item instanceof YamlNode.Scalar s) || s.isEmpty()) {
                    throw source.error(item.line(), "each entry of " + what + " must be a single value, not "
                            + (item instanceof YamlNode.Scalar ? "empty" : YamlNode.describe(item)));
                }
                out.add(s);
            }
            return out;
        }
        throw source.error(node.line(), what + " must be a value or a list, not " + YamlNode.describe(node));
    }

    List<String> texts(YamlNode node, String what) {
        if (node == null) return null;
        List<YamlNode.Scalar> scalars = scalars(node, what);
        List<String> out = new ArrayList<>(scalars.size());
        for (YamlNode.Scalar s : scalars) out.add(s.text().strip());
        return out;
    }
}
