package org.ctys.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Waking N machines from the inventory in one call, ctys against {@code wakeonlan -f} with the
 * same MACs to the same broadcast address, for N = 100, 1,000, 10,000, in the same run. Packets
 * go out of a veth pair inside a network namespace this program makes (and removes), so nothing
 * leaves the machine; the receiving end's counter proves both tools sent N packets.
 * Needs root, iproute2, hyperfine and wakeonlan. Run from the project directory after
 * {@code mvn package}: {@code java -cp target/test-classes:target/ctys.jar org.ctys.bench.WakeBench}.
 */
public final class WakeBench {
    private static final String NS = "ctys-wakebench";

    private WakeBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("ctys-wakebench");
        sh("ip netns del " + NS + " 2>/dev/null || true");
        // IPv6 off, so the only packets on the pair are the magic packets being counted
        sh("ip netns add " + NS + " && ip netns exec " + NS + " sysctl -q -w net.ipv6.conf.all.disable_ipv6=1"
                + " net.ipv6.conf.default.disable_ipv6=1"
                + " && ip -n " + NS + " link add b0 type veth peer name b1"
                + " && ip -n " + NS + " addr add 10.213.9.1/24 dev b0 && ip -n " + NS + " link set b0 up"
                + " && ip -n " + NS + " link set b1 up && ip -n " + NS + " link set lo up");
        try {
            Map<Integer, Map<String, Double>> all = new LinkedHashMap<>();
            for (int n : List.of(100, 1_000, 10_000)) {
                Path inv = dir.resolve("inventory-" + n + ".yaml");
                Path list = dir.resolve("wakeonlan-" + n + ".txt");
                write(n, inv, list);
                String exec = "ip netns exec " + NS + " ";
                String ctys = exec + "env XDG_CACHE_HOME=" + dir.resolve("cache") + " bin/ctys -q --inventory " + inv
                        + " -t pm -a create=wol,ping:off @all >/dev/null";
                String ctysCold = exec + "env XDG_CACHE_HOME=" + dir.resolve("cold") + " bin/ctys -q --inventory " + inv
                        + " -t pm -a create=wol,ping:off @all >/dev/null";
                String wol = exec + "wakeonlan -f " + list + " >/dev/null";
                check(ctys, n, "ctys");
                check(wol, n, "wakeonlan");
                Map<String, String> cmds = new LinkedHashMap<>();
                cmds.put("wakeonlan -f", wol);
                cmds.put("ctys", ctys);
                Map<String, Double> m = new LinkedHashMap<>(Hyperfine.medians(cmds, 15, null));
                Map<String, String> cold = new LinkedHashMap<>();
                cold.put("ctys, inventory parsed", ctysCold);
                m.putAll(Hyperfine.medians(cold, 15, "rm -rf " + dir.resolve("cold")));
                all.put(n, m);
            }
            System.out.println("waking N machines from the inventory in one call; median of 15 runs (hyperfine):");
            for (Map.Entry<Integer, Map<String, Double>> e : all.entrySet()) {
                double wol = e.getValue().get("wakeonlan -f");
                for (Map.Entry<String, Double> r : e.getValue().entrySet()) {
                    System.out.printf("  N=%-6d %-24s %s  %5.2fx of wakeonlan%n", e.getKey(), r.getKey(),
                            Hyperfine.ms(r.getValue()), r.getValue() / wol);
                }
            }
            System.out.println("growth from N=100 to N=10000 (time ratio):");
            for (String tool : all.get(100).keySet()) {
                System.out.printf("  %-24s %6.1fx%n", tool, all.get(10_000).get(tool) / all.get(100).get(tool));
            }
        } finally {
            sh("ip netns del " + NS + " 2>/dev/null || true");
        }
    }

    private static void write(int n, Path inv, Path list) throws IOException {
        try (Writer y = Files.newBufferedWriter(inv); Writer w = Files.newBufferedWriter(list)) {
            y.write("defaults:\n  wol: {broadcast: 10.213.9.255}\nmachines:\n");
            for (int i = 0; i < n; i++) {
                String mac = String.format("02:10:%02x:%02x:%02x:01", (i >> 16) & 255, (i >> 8) & 255, i & 255);
                y.write(String.format("  m%05d: {mac: \"%s\"}%n", i, mac));
                w.write(mac + " 10.213.9.255 9\n");
            }
            y.write(String.format("groups:%n  all: [\"m[00000-%05d]\"]%n", n - 1));
        }
    }

    /** Runs the command once and checks the far end of the veth pair received exactly n more packets. */
    private static void check(String command, int n, String tool) throws Exception {
        long before = rx();
        sh(command);
        long got = rx() - before;
        if (got != n) throw new IllegalStateException(tool + " sent " + got + " packets, expected " + n);
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
