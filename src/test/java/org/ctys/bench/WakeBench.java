package org.ctys.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wake-on-LAN, ctys against {@code wakeonlan} (Debian's, a Perl script) doing the same work on the
 * wire, each pair in the same hyperfine run:
 * <ul>
 * <li>one packet, the MAC on the command line ({@code create=wol,ping:off,bmac:MAC,broadcast:B}
 *     against {@code wakeonlan -i B MAC});</li>
 * <li>one machine of a 100-machine inventory by name, its copy of the inventory warm and cold,
 *     against {@code wakeonlan -i B MAC};</li>
 * <li>N machines of the inventory in one call ({@code @all}), N = 100, 1,000, 10,000, warm and
 *     cold, against {@code wakeonlan -f} with the same MACs to the same broadcast address.</li>
 * </ul>
 * "Cold" empties ctys's cache directory before every run, so the YAML is parsed each time; "warm"
 * reads the parsed copy. Packets go out of a veth pair inside a network namespace this program
 * makes (and removes), so nothing leaves the machine; before timing, the receiving end's counter
 * proves that every command sends exactly the packets its peer sends.
 * Needs root, iproute2, hyperfine and wakeonlan. Run from the project directory after
 * {@code mvn package}: {@code java -cp target/test-classes:target/ctys.jar org.ctys.bench.WakeBench [runs]}.
 */
public final class WakeBench {
    private static final String NS = "ctys-wakebench";
    private static final String BROADCAST = "10.213.9.255";
    private static final String EXEC = "ip netns exec " + NS + " ";

    private WakeBench() {}

    /** Commands timed together: label to shell command, what each prepares, the packets each sends. */
    private static final class Group {
        final String title;
        final String peer;
        final Map<String, String> commands = new LinkedHashMap<>();
        final List<String> prepares = new ArrayList<>();
        final int packets;

        Group(String title, String peer, String peerCommand, int packets) {
            this.title = title;
            this.peer = peer;
            this.packets = packets;
            add(peer, peerCommand, "true");
        }

        Group add(String label, String command, String prepare) {
            commands.put(label, command);
            prepares.add(prepare);
            return this;
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Hyperfine.header("WakeBench: Wake-on-LAN, ctys against wakeonlan; median of " + runs + " runs (hyperfine)",
                versions());
        Path dir = Files.createTempDirectory("ctys-wakebench");
        sh("ip netns del " + NS + " 2>/dev/null || true");
        // IPv6 off, so the only packets on the pair are the magic packets being counted
        sh("ip netns add " + NS + " && ip netns exec " + NS + " sysctl -q -w net.ipv6.conf.all.disable_ipv6=1"
                + " net.ipv6.conf.default.disable_ipv6=1"
                + " && ip -n " + NS + " link add b0 type veth peer name b1"
                + " && ip -n " + NS + " addr add 10.213.9.1/24 dev b0 && ip -n " + NS + " link set b0 up"
                + " && ip -n " + NS + " link set b1 up && ip -n " + NS + " link set lo up");
        try {
            List<Group> groups = groups(dir);
            List<Map<String, Double>> results = new ArrayList<>();
            for (Group g : groups) {
                for (int i = 0; i < g.prepares.size(); i++) {
                    String label = new ArrayList<>(g.commands.keySet()).get(i);
                    sh(g.prepares.get(i));
                    check(g.commands.get(label), g.packets, g.title + ", " + label);
                }
                results.add(Hyperfine.mediansPrepared(g.commands, runs, g.prepares));
            }
            System.out.println("load average after the runs: " + Hyperfine.loadAverage());
            for (int i = 0; i < groups.size(); i++) {
                Group g = groups.get(i);
                Map<String, Double> m = results.get(i);
                double peer = m.get(g.peer);
                System.out.println(g.title + ":");
                for (Map.Entry<String, Double> r : m.entrySet()) {
                    System.out.printf("  %-30s %s  %5.2fx of %s%n", r.getKey(), Hyperfine.ms(r.getValue()),
                            r.getValue() / peer, g.peer);
                }
            }
            System.out.println("where ctys's time goes (-d 2, one run each):");
            for (Group g : List.of(groups.get(0), groups.get(groups.size() - 1))) {
                for (Map.Entry<String, String> c : g.commands.entrySet()) {
                    if (c.getKey().equals(g.peer)) continue;
                    int n = new ArrayList<>(g.commands.keySet()).indexOf(c.getKey());
                    sh(g.prepares.get(n));
                    System.out.println("  " + g.title + ", " + c.getKey() + ":");
                    System.out.print(sh(c.getValue().replace(" -q ", " -q -d 2 ").replace(">/dev/null", "")
                            + " 2>&1 >/dev/null | grep 'debug:' | sed 's/^/    /'"));
                }
            }
        } finally {
            sh("ip netns del " + NS + " 2>/dev/null || true");
        }
    }

    private static Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("wakeonlan", "wakeonlan -v");
        v.put("perl", "perl -e 'printf \"perl %vd\", $^V'");
        return v;
    }

    private static List<Group> groups(Path dir) throws IOException {
        List<Group> groups = new ArrayList<>();
        String mac = mac(42);
        groups.add(new Group("one packet, MAC on the command line", "wakeonlan -i",
                EXEC + "wakeonlan -i " + BROADCAST + " " + mac + " >/dev/null", 1)
                .add("ctys bmac:", ctys(dir, "cache", null, "create=wol,ping:off,bmac:" + mac + ",broadcast:" + BROADCAST), "true"));
        Map<Integer, Path> inventories = new LinkedHashMap<>();
        for (int n : List.of(100, 1_000, 10_000)) {
            Path inv = dir.resolve("inventory-" + n + ".yaml");
            Path list = dir.resolve("wakeonlan-" + n + ".txt");
            write(n, inv, list);
            inventories.put(n, inv);
        }
        Path small = inventories.get(100);
        groups.add(new Group("one machine of a 100-machine inventory by name", "wakeonlan -i",
                EXEC + "wakeonlan -i " + BROADCAST + " " + mac + " >/dev/null", 1)
                .add("ctys, copy warm", ctys(dir, "cache", small, "create=wol,ping:off m00042"), "true")
                .add("ctys, cold (YAML parsed)", ctys(dir, "cold", small, "create=wol,ping:off m00042"),
                        "rm -rf " + dir.resolve("cold")));
        for (Map.Entry<Integer, Path> e : inventories.entrySet()) {
            int n = e.getKey();
            groups.add(new Group(String.format("%,d machines of the inventory (@all)", n), "wakeonlan -f",
                    EXEC + "wakeonlan -f " + dir.resolve("wakeonlan-" + n + ".txt") + " >/dev/null", n)
                    .add("ctys, copy warm", ctys(dir, "cache", e.getValue(), "create=wol,ping:off @all"), "true")
                    .add("ctys, cold (YAML parsed)", ctys(dir, "cold", e.getValue(), "create=wol,ping:off @all"),
                            "rm -rf " + dir.resolve("cold")));
        }
        return groups;
    }

    private static String ctys(Path dir, String cache, Path inventory, String action) {
        return EXEC + "env XDG_CACHE_HOME=" + dir.resolve(cache) + " bin/ctys -q"
                + (inventory == null ? "" : " --inventory " + inventory) + " -t pm -a " + action + " >/dev/null";
    }

    private static String mac(int i) {
        return String.format("02:10:%02x:%02x:%02x:01", (i >> 16) & 255, (i >> 8) & 255, i & 255);
    }

    private static void write(int n, Path inv, Path list) throws IOException {
        try (Writer y = Files.newBufferedWriter(inv); Writer w = Files.newBufferedWriter(list)) {
            y.write("defaults:\n  wol: {broadcast: " + BROADCAST + "}\nmachines:\n");
            for (int i = 0; i < n; i++) {
                y.write(String.format("  m%05d: {mac: \"%s\"}%n", i, mac(i)));
                w.write(mac(i) + " " + BROADCAST + " 9\n");
            }
            y.write(String.format("groups:%n  all: [\"m[00000-%05d]\"]%n", n - 1));
        }
    }

    /** Runs the command once and checks the far end of the veth pair received exactly n more packets. */
    private static void check(String command, int n, String what) throws Exception {
        long before = rx();
        sh(command);
        long got = rx() - before;
        if (got != n) throw new IllegalStateException(what + ": sent " + got + " packets, expected " + n);
    }

    private static long rx() throws Exception {
        return Long.parseLong(sh("ip netns exec " + NS + " cat /sys/class/net/b1/statistics/rx_packets").trim());
    }

    private static String sh(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("failed (" + p.exitValue() + "): " + command + "\n" + out);
        return out;
    }
}
