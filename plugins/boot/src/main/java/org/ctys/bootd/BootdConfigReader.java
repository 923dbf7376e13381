package org.ctys.bootd;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ctys.grammar.Names;
import org.ctys.inventory.ConfigTree;
import org.ctys.inventory.ConfigTree.Node;

/**
 * Reads bootd.yaml with the inventory's reader (ConfigTree): every problem is one line
 * {@code FILE:LINE: what is wrong}, exit status 3, and nothing is opened before the whole file is valid.
 */
final class BootdConfigReader {

    static final List<String> KEYS = List.of("name", "address", "https", "http", "certificate", "key", "ca", "spool", "image", "console");
    /** Without these the recovery system could neither find nor trust the server. */
    static final List<String> REQUIRED = List.of("name", "address", "certificate", "key", "ca");

    private final ConfigTree tree;

    private BootdConfigReader(ConfigTree tree) { this.tree = tree; }

    static BootdConfig read(Path file) {
        return new BootdConfigReader(ConfigTree.read(file, "configuration file")).config();
    }

    private BootdConfig config() {
        Node root = tree.root();
        if (root == null) throw tree.error(1, "the file is empty; it needs at least " + String.join(", ", REQUIRED));
        if (!root.isMapping()) throw tree.error(root.line(), "the configuration is a mapping with the keys " + String.join(", ", KEYS));
        Map<String, Node> f = root.fields("the configuration", KEYS.toArray(String[]::new));
        for (String k : REQUIRED) {
            if (!f.containsKey(k)) throw tree.error(root.line(), "the configuration needs " + k + ": " + what(k));
        }
        String name = f.get("name").text("name");
        // the recovery system checks the certificate against this name: busybox and openssl check no bare address
        if (!Names.isHost(name) || Names.isIpv4(name)) {
            throw tree.error(f.get("name").line(), "name is '" + name + "'; expected a host name such as boot.example"
                    + " (the name in the server's certificate; not an address)");
        }
        String address = f.get("address").text("address");
        if (!Names.isIpv4(address)) {
            throw tree.error(f.get("address").line(), "address is '" + address + "'; expected the IPv4 address the machines"
                    + " reach the server at, such as 10.0.2.2 (no leading zeros)");
        }
        BootdConfig.Listen https = f.containsKey("https") ? listen(f.get("https"), "https") : BootdConfig.DEFAULT_HTTPS;
        BootdConfig.Listen http = f.containsKey("http") ? listen(f.get("http"), "http") : BootdConfig.DEFAULT_HTTP;
        if (https.port() == http.port() && (https.host().equals(http.host())
                || https.host().equals("0.0.0.0") || http.host().equals("0.0.0.0"))) {
            throw tree.error(f.get(f.containsKey("http") ? "http" : "https").line(), "https and http both listen on port " + https.port());
        }
        Path spool = f.containsKey("spool") ? f.get("spool").path("spool") : BootdConfig.DEFAULT_SPOOL;
        Path image = f.containsKey("image") ? f.get("image").path("image") : spool.resolve("image");
        SerialConsoleLine console = SerialConsoleLine.DEFAULT;
        if (f.containsKey("console")) {
            console = SerialConsoleLine.parse(f.get("console").text("console"));
            if (console == null) {
                throw tree.error(f.get("console").line(), "console is '" + f.get("console").text("console") + "'; expected the serial"
                        + " line the BMC carries as Serial-over-LAN, ttyS<n>[,<speed>] such as ttyS1,115200 (speed 9600-115200)");
            }
        }
        return new BootdConfig(tree.file(), name, address, https, http, f.get("certificate").path("certificate"),
                f.get("key").path("key"), f.get("ca").path("ca"), spool, image, console);
    }

    private static String what(String key) {
        return switch (key) {
            case "name" -> "the host name in the server's certificate";
            case "address" -> "the address the machines reach the server at";
            case "certificate" -> "the server's certificate (PEM)";
            case "key" -> "the server's private key (PKCS#8 PEM)";
            default -> "the site CA's certificate (PEM)";
        };
    }

    /** address:port or [IPv6]:port. */
    private BootdConfig.Listen listen(Node node, String key) {
        String text = node.text(key);
        int colon = text.lastIndexOf(':');
        String form = "; expected address:port such as 0.0.0.0:" + (key.equals("https") ? "8443" : "8080");
        if (colon <= 0) throw tree.error(node.line(), key + " is '" + text + "'" + form);
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean hostOk = host.startsWith("[") ? Names.isIpv6(bare) : Names.isHost(host);
        if (!hostOk || !port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw tree.error(node.line(), key + " is '" + text + "'" + form + " (port 1-65535: the machines are told it)");
        }
        return new BootdConfig.Listen(bare, Integer.parseInt(port));
    }
}
