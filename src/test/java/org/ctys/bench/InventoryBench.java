package org.ctys.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the inventory copy (InventoryCache) is worth: loading an inventory of N machines in the
 * launcher's JVM, parsed from YAML (no copy: a fresh cache directory each run) against read from
 * the copy, run after run alternately so that both see the same load. Reports the medians of
 * ctys's own "-d 2" phase time and of the whole process. Sends nothing (a dry run of one wake).
 * Run from the project directory after {@code mvn package}:
 * {@code java -cp target/test-classes org.ctys.bench.InventoryBench [machines] [runs]}.
 */
public final class InventoryBench {

    private static final Pattern PHASE = Pattern.compile("inventory and targets \\(\\d+\\): ([0-9.]+) ms");

    private InventoryBench() {}

    public static void main(String[] args) throws Exception {
        int machines = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Path dir = Files.createTempDirectory("ctys-inventorybench");
        Path inv = dir.resolve("inventory.yaml");
        write(machines, inv);
        List<double[]> parsed = new ArrayList<>();
        List<double[]> copied = new ArrayList<>();
        run(inv, dir.resolve("warm"));
        for (int i = 0; i < runs; i++) {
            parsed.add(run(inv, dir.resolve("cold" + i)));
            copied.add(run(inv, dir.resolve("warm")));
        }
        System.out.printf("inventory of %d machines (%d KB), median of %d runs each:%n", machines, Files.size(inv) / 1024, runs);
        System.out.printf("  parsed from YAML: inventory phase %7.1f ms, whole process %7.1f ms%n", median(parsed, 0), median(parsed, 1));
        System.out.printf("  read from copy:   inventory phase %7.1f ms, whole process %7.1f ms%n", median(copied, 0), median(copied, 1));
    }

    /** One dry run; {inventory phase ms, whole process ms}. */
    private static double[] run(Path inv, Path cache) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bin/ctys", "-d", "2", "-n", "-q", "--inventory", inv.toString(),
                "-t", "pm", "-a", "create=wol,ping:off", "n00001").redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        long start = System.nanoTime();
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("ctys failed: " + err);
        double total = (System.nanoTime() - start) / 1e6;
        Matcher m = PHASE.matcher(err);
        if (!m.find()) throw new IllegalStateException("no inventory phase in: " + err);
        return new double[] {Double.parseDouble(m.group(1)), total};
    }

    private static double median(List<double[]> runs, int column) {
        List<Double> v = new ArrayList<>();
        for (double[] r : runs) v.add(r[column]);
        Collections.sort(v);
        return v.get(v.size() / 2);
    }

    /** The shape LargeInventoryTest loads: host, MAC, BMC and SSH port per machine, a guest on every tenth. */
    static void write(int n, Path file) throws IOException {
        try (Writer y = Files.newBufferedWriter(file)) {
            y.write("defaults:\n  user: root\n  wol: {broadcast: 10.255.255.255, port: 9}\n  ssh: {jump: [gw00000]}\n");
            y.write("machines:\n");
            for (int i = 0; i < n; i++) {
                String name = String.format("n%05d", i);
                y.write("  " + name + ":\n    host: 10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255) + "\n");
                y.write(String.format("    mac: 02:00:00:%02x:%02x:%02x%n", i >> 16 & 255, i >> 8 & 255, i & 255));
                y.write("    bmc: {address: bmc-" + name + ", user: admin, password-env: BMC_PW}\n    ssh: {port: 22}\n");
                if (i % 10 == 0) y.write("    guests:\n      g" + name + ": {console: virsh, via-host-only: true}\n");
            }
            y.write(String.format("groups:%n  all: [\"n[00000-%05d]\"]%n", n - 1));
        }
    }
}
