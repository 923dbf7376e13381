package org.ctys.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs hyperfine (Debian package hyperfine) on several commands in one run and returns their medians. */
final class Hyperfine {

    private Hyperfine() {}

    /** Label to median seconds, in the order given. Commands run through sh, output discarded. */
    static Map<String, Double> medians(Map<String, String> commands, int runs, String prepare) throws IOException, InterruptedException {
        return mediansPrepared(commands, runs, prepare == null ? List.of() : List.of(prepare));
    }

    /**
     * As {@link #medians(Map, int, String)}, with one preparation command per command, in the same
     * order (e.g. emptying a cache before the cold runs of one command only, "true" for the others).
     */
    static Map<String, Double> mediansPrepared(Map<String, String> commands, int runs, List<String> prepares)
            throws IOException, InterruptedException {
        Map<String, Double> out = new LinkedHashMap<>();
        for (JsonNode r : results(List.of(), commands, runs, prepares)) out.put(r.get("command").asText(), r.get("median").asDouble());
        return out;
    }

    /** The warm-up runs hyperfine makes of each command before the timed ones. */
    static final int WARMUP = 3;

    /**
     * hyperfine's own result of each command (median, min, max, user, system, times, all in
     * seconds), in the order given. {@code launcher} starts hyperfine itself (e.g. {@code ip netns
     * exec NS}), so the commands run where it runs and their times do not include the launcher's.
     * {@code prepares}: none, one for all commands, or one per command in their order.
     */
    static List<JsonNode> results(List<String> launcher, Map<String, String> commands, int runs, List<String> prepares)
            throws IOException, InterruptedException {
        Path json = Files.createTempFile("hyperfine", ".json");
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of("hyperfine", "--style", "none", "--warmup", String.valueOf(WARMUP), "--runs",
                String.valueOf(runs), "--export-json", json.toString()));
        for (String prepare : prepares) cmd.addAll(List.of("--prepare", prepare));
        for (Map.Entry<String, String> c : commands.entrySet()) cmd.addAll(List.of("--command-name", c.getKey(), c.getValue()));
        Path log = Files.createTempFile("hyperfine", ".log");
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException("hyperfine is not installed (Debian package hyperfine)", e);
        }
        int status = p.waitFor();
        String said = Files.readString(log);
        Files.delete(log);
        if (status != 0) throw new IOException("hyperfine failed: " + String.join(" ", cmd) + "\n" + said);
        JsonNode results = new ObjectMapper().readTree(json.toFile()).get("results");
        Files.delete(json);
        List<JsonNode> out = new ArrayList<>();
        results.forEach(out::add);
        return out;
    }

    static String ms(double seconds) { return String.format("%8.1f ms", seconds * 1000); }

    /**
     * Prints what a reader needs to judge a result: each peer's version as the peer itself prints it
     * (first line of the given command's output, stdout and stderr together), the JVM, the cores and
     * the load average now. {@code versionCommands}: label to a shell command printing a version.
     */
    static void header(String title, Map<String, String> versionCommands) throws IOException, InterruptedException {
        System.out.println(title);
        Map<String, String> all = new LinkedHashMap<>();
        all.put("java", "java -version");
        all.put("hyperfine", "hyperfine --version");
        all.putAll(versionCommands);
        for (Map.Entry<String, String> v : all.entrySet()) {
            System.out.printf("  %-12s %s%n", v.getKey(), firstLine(v.getValue()));
        }
        System.out.printf("  %-12s %d cores, load average %s%n", "machine", Runtime.getRuntime().availableProcessors(),
                loadAverage());
    }

    /** The load average now (1, 5, 15 minutes), for printing beside each result. */
    static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        return f[0] + " " + f[1] + " " + f[2];
    }

    private static String firstLine(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command + " 2>&1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        p.waitFor();
        int nl = out.indexOf('\n');
        String line = nl < 0 ? out : out.substring(0, nl);
        return line.isEmpty() ? "(" + command + " printed nothing)" : line;
    }
}
