package org.ctys.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Start-up of ctys beside {@code java -version} on the same machine in the same run: the goal is
 * within 3x. Run from the project directory after {@code mvn package}:
 * {@code java -cp target/test-classes:target/ctys.jar org.ctys.bench.StartupBench}.
 */
public final class StartupBench {

    private StartupBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> commands = new LinkedHashMap<>();
        commands.put("java -version", "java -version");
        commands.put("ctys --version", "bin/ctys --version");
        commands.put("ctys dry-run PM CREATE", "bin/ctys -n -t pm -a create=wol,bmac:02:00:00:00:00:01,t:192.0.2.1");
        commands.put("ctys usage error", "bin/ctys -t pm -a create=wol,bmac:02:00:00:00:00:0g || true");
        Map<String, Double> m = Hyperfine.medians(commands, 40, null);
        double base = m.get("java -version");
        System.out.println("median of 40 runs (hyperfine), ratio to java -version:");
        for (Map.Entry<String, Double> e : m.entrySet()) {
            System.out.printf("  %-24s %s  %5.2fx%n", e.getKey(), Hyperfine.ms(e.getValue()), e.getValue() / base);
        }
    }
}
