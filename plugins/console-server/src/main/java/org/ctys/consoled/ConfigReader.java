package org.ctys.consoled;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.ctys.exit.CtysException;
import org.ctys.grammar.Names;
import org.ctys.grammar.Sizes;
import org.ctys.inventory.ConfigTree;
import org.ctys.inventory.ConfigTree.Node;
import org.ctys.inventory.Inventory;
import org.ctys.inventory.InventoryLoader;

/**
 * Reads consoled.yaml (ctys-consoled.yaml(5)). Every problem is one line naming file:line and what
 * would be valid, exit status 3; nothing is opened before the whole file (and the inventory it
 * takes consoles from) is valid.
 */
final class ConfigReader {

    static final String FILE_NAME = "consoled.yaml";
    static final List<String> TOP_KEYS = List.of("listen", "host-key", "log-dir", "rotate", "mark", "pid-file", "inventory",
            "users", "groups", "access", "consoles");
    static final List<String> CONSOLE_KINDS = List.of("serial", "sol", "guest", "cmd", "tcp");
    static final List<String> ROTATE_KEYS = List.of("size", "age", "keep");
    static final List<String> INVENTORY_KEYS = List.of("file", "take");
    static final List<String> USER_KEYS = List.of("keys");
    static final List<String> GROUP_KEYS = List.of("members", "keys");
    static final List<String> RULE_KEYS = List.of("consoles", "rw", "ro");
    static final List<String> GUEST_KEYS = List.of("host", "domain", "hypervisor", "uri");
    static final List<String> TCP_KEYS = List.of("host", "port", "telnet");
    /** Besides its one kind. */
    static final List<String> CONSOLE_KEYS = List.of("groups");
    /** Console names: host-name characters, at most 63; "list" and "help" are words of the command protocol. */
    static final Pattern CONSOLE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");
    static final String CONSOLE_NAME_FORM = "letters, digits, '-', '_' and '.', at most 63, not starting with '-' or '.'";
    static final Set<String> RESERVED = Set.of("list", "help");
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");
    /** {@link #GROUP_NAME} in words, for messages. */
    static final String GROUP_NAME_FORM = "letters, digits, '-', '_' and '.', at most 63, not starting with '-' or '.'";
    /** The smallest and largest size of rotate. */
    static final long MIN_ROTATE_SIZE = 4 * Sizes.KIB;
    static final long MAX_ROTATE_SIZE = 64 * Sizes.GIB;
    /** The highest port of listen. */
    static final int MAX_PORT = 65535;
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]{0,199}");

    private final ConfigTree tree;
    private final Map<String, String> env;
    private final Path home;

    private ConfigReader(ConfigTree tree, Map<String, String> env, Path home) {
        this.tree = tree;
        this.env = env;
        this.home = home;
    }

    /**
     * The default configuration file: beside the inventory ctys would use ($CTYS_INVENTORY's
     * directory, else ~/.config/ctys/ when it holds one, else /etc/ctys/).
     */
    static Path defaultFile(Map<String, String> env, Path home) {
        String inv = env.get(InventoryLoader.ENV_VAR);
        if (inv != null && !inv.isBlank()) {
            Path dir = Path.of(inv).toAbsolutePath().getParent();
            if (dir != null) return dir.resolve(FILE_NAME);
        }
        if (home != null) {
            Path user = home.resolve(".config/ctys").resolve(FILE_NAME);
            if (Files.exists(user)) return user;
        }
        return Path.of("/etc/ctys").resolve(FILE_NAME);
    }

    static DaemonConfig read(Path file, Map<String, String> env, Path home) {
        return new ConfigReader(ConfigTree.read(file, "configuration file"), env, home).config();
    }

    private DaemonConfig config() {
        Node root = tree.root();
        if (root == null) throw tree.error(1, "the file is empty; it needs at least consoles: or inventory:");
        if (!root.isMapping()) {
            throw tree.error(root.line(), "the configuration is a mapping with the keys " + String.join(", ", TOP_KEYS));
        }
        Map<String, Node> top = root.fields("the configuration", TOP_KEYS.toArray(String[]::new));

        String listen = top.containsKey("listen") ? top.get("listen").text("listen") : DaemonConfig.DEFAULT_LISTEN;
        int listenLine = top.containsKey("listen") ? top.get("listen").line() : 1;
        String[] hostPort = listen(listen, listenLine);
        Path logDir = top.containsKey("log-dir") ? top.get("log-dir").path("log-dir") : DaemonConfig.DEFAULT_LOG_DIR;
        Path hostKey = top.containsKey("host-key") ? top.get("host-key").path("host-key")
                : tree.resolve(DaemonConfig.DEFAULT_HOST_KEY);
        Path pidFile = top.containsKey("pid-file") ? top.get("pid-file").path("pid-file")
                : logDir.resolve(DaemonConfig.PID_FILE_NAME);
        Duration mark = top.containsKey("mark") ? duration(top.get("mark"), "mark") : DaemonConfig.DEFAULT_MARK;

        Map<String, Path> users = users(top.get("users"));
        Map<String, DaemonConfig.Group> groups = groups(top.get("groups"));
        Access access = new Access(rules(top.get("access")), membersByGroup(groups));

        Map<String, ConsoleDef> consoles = new LinkedHashMap<>();
        if (top.containsKey("consoles")) consoles(top.get("consoles"), consoles);
        Inventory inventory = null;
        if (top.containsKey("inventory")) inventory = fromInventory(top.get("inventory"), consoles);
        // a guest console's host may be an inventory machine: ctys's own inventory, as ctys would read it
        if (inventory == null && consoles.values().stream().anyMatch(c -> c.endpoint() instanceof Endpoint.Guest)) {
            inventory = InventoryLoader.load(null, env, home);
        }
        return new DaemonConfig(tree.file(), hostPort[0], Integer.parseInt(hostPort[1]), hostKey, logDir,
                rotation(top.get("rotate")), mark, pidFile, users, groups, access, List.copyOf(consoles.values()), inventory);
    }

    private String[] listen(String text, int line) {
        String[] hostPort = listenParts(text);
        if (hostPort == null) {
            throw tree.error(line, "listen is '" + text + "'; expected address:port such as 0.0.0.0:7022, [::]:7022 or 127.0.0.1:7022");
        }
        return hostPort;
    }

    /**
     * listen's address:port or [IPv6]:port as {address, port}, or null when the daemon refuses it;
     * port 0 lets the system choose (the daemon says which it got).
     */
    static String[] listenParts(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) return null;
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean hostOk = host.startsWith("[") ? Names.isIpv6(bare) : Names.isHost(host);
        if (!hostOk || !port.matches("\\d{1,5}") || Integer.parseInt(port) > MAX_PORT) return null;
        return new String[] {bare, port};
    }

    private Duration duration(Node node, String what) {
        String text = node.text(what);
        return TimeWords.duration(text).orElseThrow(() -> tree.error(node.line(), what + " is '" + text + "'; expected "
                + TimeWords.DURATION_FORM + " (at most 3650d), or 0"));
    }

    private DaemonConfig.Rotation rotation(Node node) {
        DaemonConfig.Rotation d = DaemonConfig.Rotation.DEFAULT;
        if (node == null) return d;
        Map<String, Node> f = node.fields("rotate", ROTATE_KEYS.toArray(String[]::new));
        long size = d.maxBytes();
        if (f.containsKey("size")) {
            Node s = f.get("size");
            try {
                size = Sizes.parse(s.text("size of rotate"), MIN_ROTATE_SIZE, MAX_ROTATE_SIZE);
            } catch (CtysException e) {
                throw tree.error(s.line(), "size of rotate: " + e.getMessage());
            }
        }
        Duration age = f.containsKey("age") ? duration(f.get("age"), "age of rotate") : d.maxAge();
        if (age.isZero()) throw tree.error(f.get("age").line(), "age of rotate must be above zero, such as 1d");
        int keep = f.containsKey("keep") ? f.get("keep").integer("keep of rotate", 1, 1000) : d.keep();
        return new DaemonConfig.Rotation(size, age, keep);
    }

    private Map<String, Path> users(Node node) {
        Map<String, Path> out = new LinkedHashMap<>();
        if (node == null) return out;
        for (ConfigTree.Entry e : node.entries("users")) {
            checkUser(e.key(), e.line(), "user");
            String what = "user '" + e.key() + "'";
            if (e.value().isEmpty()) throw tree.error(e.line(), what + " needs keys: an authorized_keys file");
            Map<String, Node> f = e.value().fields(what, USER_KEYS.toArray(String[]::new));
            if (!f.containsKey("keys")) throw tree.error(e.line(), what + " needs keys: an authorized_keys file");
            out.put(e.key(), f.get("keys").path("keys of " + what));
        }
        return out;
    }

    private void checkUser(String name, int line, String what) {
        if (!Names.isUser(name)) throw tree.error(line, "bad " + what + " name '" + name + "': use " + Names.USER_FORM);
    }

    private Map<String, DaemonConfig.Group> groups(Node node) {
        Map<String, DaemonConfig.Group> out = new LinkedHashMap<>();
        if (node == null) return out;
        for (ConfigTree.Entry e : node.entries("groups")) {
            if (!isGroupName(e.key())) {
                throw tree.error(e.line(), "bad group name '" + e.key() + "': " + GROUP_NAME_FORM);
            }
            String what = "group '" + e.key() + "'";
            Map<String, Node> f = e.value().isEmpty() ? Map.of() : e.value().fields(what, GROUP_KEYS.toArray(String[]::new));
            Set<String> members = new LinkedHashSet<>();
            if (f.containsKey("members")) {
                for (Node m : f.get("members").items("members of " + what)) {
                    String name = m.text("member of " + what);
                    checkUser(name, m.line(), "member");
                    members.add(name);
                }
            }
            Path keys = f.containsKey("keys") ? f.get("keys").path("keys of " + what) : null;
            out.put(e.key(), new DaemonConfig.Group(members, keys));
        }
        return out;
    }

    private static Map<String, Set<String>> membersByGroup(Map<String, DaemonConfig.Group> groups) {
        Map<String, Set<String>> out = new HashMap<>();
        groups.forEach((name, g) -> out.put(name, g.members()));
        return out;
    }

    private List<Access.Rule> rules(Node node) {
        List<Access.Rule> out = new ArrayList<>();
        if (node == null) return out;
        for (Node item : listOfMappings(node, "access")) {
            String what = "the access rule at line " + item.line();
            Map<String, Node> f = item.fields(what, RULE_KEYS.toArray(String[]::new));
            if (!f.containsKey("consoles")) throw tree.error(item.line(), what + " needs consoles: (names, globs or @group)");
            List<String> consoles = new ArrayList<>();
            for (Node c : f.get("consoles").items("consoles of " + what)) {
                String p = c.text("consoles of " + what);
                String bare = p.startsWith("@") ? p.substring(1) : p.replace("*", "x");
                if (bare.isEmpty() || !CONSOLE_NAME.matcher(bare).matches()) {
                    throw tree.error(c.line(), "bad console pattern '" + p + "' in " + what
                            + "; expected a console name, a glob with * or @group");
                }
                consoles.add(p);
            }
            out.add(new Access.Rule(consoles, userPatterns(f.get("rw"), "rw of " + what),
                    userPatterns(f.get("ro"), "ro of " + what)));
        }
        return out;
    }

    private List<String> userPatterns(Node node, String what) {
        List<String> out = new ArrayList<>();
        if (node == null) return out;
        for (Node u : node.items(what)) {
            String p = u.text(what);
            if (!p.equals("*") && !(p.startsWith("@") && GROUP_NAME.matcher(p.substring(1)).matches()) && !Names.isUser(p)) {
                throw tree.error(u.line(), "bad user '" + p + "' in " + what + "; expected a user name, @group or *");
            }
            out.add(p);
        }
        return out;
    }

    /** The items of a YAML list, each a mapping. */
    private List<Node> listOfMappings(Node node, String what) {
        List<Node> out = new ArrayList<>();
        for (Node n : node.elements(what)) {
            if (!n.isMapping()) throw tree.error(n.line(), "each entry of " + what + " must be a mapping {consoles: ..., rw: ..., ro: ...}");
            out.add(n);
        }
        return out;
    }

    private void consoles(Node node, Map<String, ConsoleDef> out) {
        Map<String, Integer> lines = new HashMap<>();
        for (ConfigTree.Entry e : node.entries("consoles")) {
            checkConsoleName(e.key(), e.line(), "");
            Integer first = lines.putIfAbsent(consoleKey(e.key()), e.line());
            if (first != null) {
                throw tree.error(e.line(), "duplicate console '" + e.key() + "' (first at line " + first + "; case does not count)");
            }
            out.put(consoleKey(e.key()), console(e));
        }
    }

    /** Whether a console may have this name: {@link #CONSOLE_NAME}, and not one of the {@link #RESERVED} words. */
    static boolean isConsoleName(String name) { return CONSOLE_NAME.matcher(name).matches() && !isReserved(name); }

    /** A word of the command protocol, in any case. */
    static boolean isReserved(String name) { return RESERVED.contains(name.toLowerCase(Locale.ROOT)); }

    /** What makes two console names the same: case does not count. */
    static String consoleKey(String name) { return name.toLowerCase(Locale.ROOT); }

    static boolean isGroupName(String name) { return GROUP_NAME.matcher(name).matches(); }

    /** A cmd: is one line without control characters. */
    static boolean isCommand(String text) {
        for (int i = 0; i < text.length(); i++) if (Character.isISOControl(text.charAt(i))) return false;
        return true;
    }

    private void checkConsoleName(String name, int line, String from) {
        if (!CONSOLE_NAME.matcher(name).matches()) {
            throw tree.error(line, "bad console name '" + name + "'" + from + ": use " + CONSOLE_NAME_FORM);
        }
        if (isReserved(name)) {
            throw tree.error(line, "console name '" + name + "'" + from + " is a word of the command protocol; choose another");
        }
    }

    private ConsoleDef console(ConfigTree.Entry e) {
        String owner = "'" + e.key() + "'";
        String what = "console " + owner;
        if (e.value().isEmpty()) throw tree.error(e.line(), what + " needs one of " + String.join(", ", CONSOLE_KINDS));
        List<String> keys = new ArrayList<>(CONSOLE_KINDS);
        keys.addAll(CONSOLE_KEYS);
        Map<String, Node> f = e.value().fields(what, keys.toArray(String[]::new));
        List<String> kinds = CONSOLE_KINDS.stream().filter(f::containsKey).toList();
        if (kinds.size() != 1) {
            throw tree.error(e.line(), what + (kinds.isEmpty() ? " needs one of " + String.join(", ", CONSOLE_KINDS)
                    : " gives " + String.join(" and ", kinds) + "; a console has exactly one of " + String.join(", ", CONSOLE_KINDS)));
        }
        Node k = f.get(kinds.get(0));
        Endpoint endpoint = switch (kinds.get(0)) {
            case "serial" -> new Endpoint.Serial(k.serial(owner));
            case "sol" -> new Endpoint.Sol(k.bmc(owner));
            case "guest" -> guest(k, owner);
            case "cmd" -> command(k, owner);
            default -> tcp(k, owner);
        };
        Set<String> groups = new LinkedHashSet<>();
        if (f.containsKey("groups")) {
            for (Node g : f.get("groups").items("groups of " + what)) {
                String name = g.text("groups of " + what);
                if (!isGroupName(name)) {
                    throw tree.error(g.line(), "bad group '" + name + "' of " + what + ": use letters, digits, '-', '_' and '.'");
                }
                groups.add(name);
            }
        }
        return new ConsoleDef(e.key(), endpoint, groups);
    }

    private Endpoint guest(Node node, String owner) {
        String what = "guest of " + owner;
        Map<String, Node> f = node.fields(what, GUEST_KEYS.toArray(String[]::new));
        if (!f.containsKey("host")) throw tree.error(node.line(), what + " needs host: an inventory machine or user@host[:port]");
        String host = f.get("host").text("host of " + what);
        if (!host.matches("([A-Za-z0-9._-]+@)?[A-Za-z0-9._\\[\\]:-]+") || host.startsWith("-")) {
            throw tree.error(f.get("host").line(), "bad host '" + host + "' of " + what
                    + "; expected an inventory machine or user@host[:port]");
        }
        String domain = f.containsKey("domain") ? f.get("domain").text("domain of " + what) : null;
        if (domain == null) throw tree.error(node.line(), what + " needs domain: the guest's name on its host");
        if (!DOMAIN.matcher(domain).matches()) {
            throw tree.error(f.get("domain").line(), "bad domain '" + domain + "' of " + what
                    + "; expected a guest name (letters, digits, '.', '_', '+', '-')");
        }
        org.ctys.inventory.Hypervisor hv = org.ctys.inventory.Hypervisor.KVM;
        if (f.containsKey("hypervisor")) {
            String text = f.get("hypervisor").text("hypervisor of " + what);
            hv = org.ctys.inventory.Hypervisor.of(text).filter(h -> h != org.ctys.inventory.Hypervisor.NONE)
                    .orElseThrow(() -> tree.error(f.get("hypervisor").line(), "hypervisor '" + text + "' of " + what
                            + " is not one of kvm, xen"));
        }
        String uri = null;
        if (f.containsKey("uri")) {
            uri = f.get("uri").text("uri of " + what);
            if (hv != org.ctys.inventory.Hypervisor.KVM) throw tree.error(f.get("uri").line(), "uri of " + what + " is for kvm only");
            if (!uri.matches("[a-z][a-z0-9+.-]*://[!-~&&[^'\"\\\\`$]]*")) {
                throw tree.error(f.get("uri").line(), "bad uri '" + uri + "' of " + what + "; expected a libvirt URI such as qemu:///system");
            }
        }
        return new Endpoint.Guest(host, domain, hv, uri);
    }

    private Endpoint command(Node node, String owner) {
        String text = node.text("cmd of " + owner);
        if (!isCommand(text)) throw tree.error(node.line(), "cmd of " + owner + " must be one line without control characters");
        return new Endpoint.Command(text);
    }

    private Endpoint tcp(Node node, String owner) {
        String what = "tcp of " + owner;
        Map<String, Node> f = node.fields(what, TCP_KEYS.toArray(String[]::new));
        if (!f.containsKey("host") || !f.containsKey("port")) throw tree.error(node.line(), what + " needs host and port");
        return new Endpoint.Tcp(f.get("host").host("host of " + what), f.get("port").integer("port of " + what, 1, 65535),
                f.containsKey("telnet") && f.get("telnet").bool("telnet of " + what));
    }

    private Inventory fromInventory(Node node, Map<String, ConsoleDef> out) {
        Map<String, Node> f = node.isEmpty() ? Map.of() : node.fields("inventory", INVENTORY_KEYS.toArray(String[]::new));
        Set<String> take = new LinkedHashSet<>(InventoryConsoles.KINDS);
        if (f.containsKey("take")) {
            take.clear();
            for (Node t : f.get("take").items("take of inventory")) {
                String kind = t.text("take of inventory");
                if (!InventoryConsoles.KINDS.contains(kind)) {
                    throw tree.error(t.line(), "take of inventory names '" + kind + "'; valid: " + String.join(", ", InventoryConsoles.KINDS));
                }
                take.add(kind);
            }
        }
        Inventory inventory = f.containsKey("file") ? InventoryLoader.parse(f.get("file").path("file of inventory"))
                : InventoryLoader.load(null, env, home);
        Set<String> taken = new HashSet<>(out.keySet());
        for (ConsoleDef c : InventoryConsoles.from(inventory, take)) {
            String key = consoleKey(c.name());
            if (taken.contains(key)) continue; // a consoles: entry of the same name wins
            checkConsoleName(c.name(), node.line(), " (from the inventory " + inventory.source() + ")");
            out.put(key, c);
        }
        return inventory;
    }
}
