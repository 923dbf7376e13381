package org.ctys.inventory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctys.exit.CtysException;

/**
 * A YAML configuration file other than the inventory (the console server's consoled.yaml), read
 * with the inventory's own reader: every value keeps its line, every error is one line naming
 * file:line (exit status 3), unknown keys are errors, and a {@code serial:} or {@code bmc:} block
 * is read by the very code that reads the inventory's, so its keys mean the same in both files.
 */
public final class ConfigTree {

    private final Source source;
    private final Values values;
    private final Node root;

    private ConfigTree(Source source, YamlNode root) {
        this.source = source;
        this.values = new Values(source);
        this.root = root == null ? null : new Node(root);
    }

    /** Reads {@code file}; {@code what} names it in messages ("configuration file"). */
    public static ConfigTree read(Path file, String what) {
        byte[] content = new ConfigFile(file, what).readTrusted(Limits.FILE_BYTES, Limits.FILE_TEXT,
                "chooses what the daemon runs, serves and whom it lets in");
        Source source = new Source(file);
        InventoryText.check(content, source);
        return new ConfigTree(source, YamlReader.read(content, source));
    }

    public Path file() { return source.file(); }

    /** The document's top value; null when the file holds none (empty, or only comments). */
    public Node root() { return root; }

    /** The one-line configuration error of this file at {@code line}. */
    public CtysException error(int line, String message) { return source.error(line, message); }

    /** A path as written in the file: relative ones are relative to the file's directory. */
    public Path resolve(String path) { return source.resolve(path); }

    /** A key of a mapping, the line it is on, and its value. */
    public record Entry(String key, int line, Node value) {}

    /** One value of the file, with the line it starts on. */
    public final class Node {
        private final YamlNode node;

        private Node(YamlNode node) { this.node = node; }

        public int line() { return node.line(); }

        public boolean isMapping() { return node instanceof YamlNode.Mapping; }

        /** A key with nothing after it ({@code key:}) or {@code ~}: the same as leaving the key out. */
        public boolean isEmpty() { return node instanceof YamlNode.Scalar s && s.isEmpty(); }

        /** The entries of a mapping in file order; a duplicate key is an error. */
        public List<Entry> entries(String what) {
            YamlNode.Mapping m = values.mapping(node, what);
            Map<String, Integer> seen = new java.util.HashMap<>();
            List<Entry> out = new ArrayList<>(m.entries().size());
            for (YamlNode.Entry e : m.entries()) {
                Integer first = seen.putIfAbsent(e.key(), e.line());
                if (first != null) {
                    throw source.error(e.line(), "duplicate key '" + e.key() + "' in " + what + " (first at line " + first + ")");
                }
                out.add(new Entry(e.key(), e.line(), new Node(e.value())));
            }
            return out;
        }

        /**
         * The values of a mapping whose keys must be among {@code keys} (an unknown or duplicate key is
         * an error listing the valid ones); keys absent or empty are left out.
         */
        public Map<String, Node> fields(String what, String... keys) {
            Fields f = Fields.of(values.mapping(node, what), Schema.of(keys), what, source);
            Map<String, Node> out = new LinkedHashMap<>();
            for (String k : keys) {
                YamlNode v = f.get(k);
                if (v != null) out.put(k, new Node(v));
            }
            return out;
        }

        /** A single value as written (numbers and booleans as their text), stripped. */
        public String text(String what) { return values.text(node, what); }

        public int integer(String what, int min, int max) { return values.integer(node, what, min, max); }

        public boolean bool(String what) { return values.bool(node, what, false); }

        /** A host name, IPv4 or IPv6 address (without brackets). */
        public String host(String what) { return values.host(node, what); }

        /** A list of single values; one value alone is a list of one. */
        public List<Node> items(String what) {
            List<Node> out = new ArrayList<>();
            for (YamlNode.Scalar s : values.scalars(node, what)) out.add(new Node(s));
            return out;
        }

        /** The entries of a list, each of any kind (a list of mappings). */
        public List<Node> elements(String what) {
            if (!(node instanceof YamlNode.Sequence seq)) {
                throw source.error(line(), what + " must be a list, not " + YamlNode.describe(node));
            }
            List<Node> out = new ArrayList<>(seq.items().size());
            for (YamlNode item : seq.items()) out.add(new Node(item));
            return out;
        }

        /** A file name, relative to the file's directory unless absolute. */
        public Path path(String what) {
            String text = text(what);
            try {
                return source.resolve(text);
            } catch (java.nio.file.InvalidPathException e) {
                throw source.error(line(), what + " is not a valid path: '" + text + "'");
            }
        }

        /** A serial line block, with the inventory's {@code serial:} keys and checks. */
        public SerialSettings serial(String owner) { return new SettingsReader(values).serial(node, owner); }

        /** A BMC block, with the inventory's {@code bmc:} keys and checks (secrets only as file or variable). */
        public BmcSettings bmc(String owner) { return new SettingsReader(values).bmc(node, owner); }
    }
}
