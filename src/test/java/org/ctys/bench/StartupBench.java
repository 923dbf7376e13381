package org.ctys.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Start-up of ctys beside {@code java -version} on the same machine in the same hyperfine run: the
 * goal is within 3x for --version and a dry run. Several passes (the machine is shared), each
 * printed, then the range of the medians and of the ratios. Run from the project directory after
 * {@code mvn package} (bin/ctys then finds its jar and class-data archive up to date):
 * {@code java -cp target/test-classes:target/ctys.jar org.ctys.bench.StartupBench [passes [runs]]}.
 * hyperfine runs each command's runs one after the other, so on a busy machine a change of load
 * between them moves the ratio; run under {@code chrt -f 10} (as root) and every command runs ahead
 * of the neighbours' work, which measures the programs rather than the load. The output says which.
 */
public final class StartupBench {
    private static final double GOAL = 3.0;

    private StartupBench() {}

    public static void main(String[] args) throws Exception {
        int passes = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        Hyperfine.header("ctys start-up beside java -version (goal: --version and a dry run within " + GOAL + "x)",
                Map.of("ctys", "bin/ctys --version"));
        System.out.printf("  %-12s %s%n", "scheduling", realTime() ? "real-time (SCHED_FIFO/RR): ahead of other load"
                : "normal: shares the cores with other load");
        Map<String, String> commands = new LinkedHashMap<>();
        commands.put("java -version", "java -version");
        commands.put("ctys --version", "bin/ctys --version");
        commands.put("ctys dry-run PM CREATE", "bin/ctys -n -t pm -a create=wol,bmac:02:00:00:00:00:01,t:192.0.2.1");
        commands.put("ctys usage error", "bin/ctys -t pm -a create=wol,bmac:02:00:00:00:00:0g || true");
        Map<String, List<Double>> medians = new LinkedHashMap<>();
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (int pass = 1; pass <= passes; pass++) {
            Map<String, Double> m = Hyperfine.medians(commands, runs, null);
            double base = m.get("java -version");
            System.out.printf("pass %d of %d: median of %d runs, ratio to java -version (load average %s)%n", pass, passes,
                    runs, Hyperfine.loadAverage());
            for (Map.Entry<String, Double> e : m.entrySet()) {
                double ratio = e.getValue() / base;
                System.out.printf("  %-24s %s  %5.2fx%n", e.getKey(), Hyperfine.ms(e.getValue()), ratio);
                medians.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
                ratios.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(ratio);
            }
        }
        System.out.printf("over %d passes: range of the medians, range of the ratios%n", passes);
        for (String name : commands.keySet()) {
            List<Double> m = medians.get(name);
            List<Double> r = ratios.get(name);
            boolean goal = name.equals("ctys --version") || name.startsWith("ctys dry-run");
            System.out.printf("  %-24s %s ..%s  %5.2fx .. %5.2fx%s%n", name, Hyperfine.ms(min(m)), Hyperfine.ms(max(m)),
                    min(r), max(r), !goal ? "" : max(r) <= GOAL ? "  within " + GOAL + "x" : "  OVER " + GOAL + "x");
        }
    }

    /** Whether this process (and so hyperfine and the commands it starts) runs with a real-time policy. */
    private static boolean realTime() throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields from the state on (field 3 of proc(5)); the policy is field 41
        int policy = Integer.parseInt(fields[41 - 3]);
        return policy == 1 || policy == 2;
    }

    private static double min(List<Double> xs) { return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN); }

    private static double max(List<Double> xs) { return xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN); }
}
