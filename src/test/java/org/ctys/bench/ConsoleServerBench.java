package org.ctys.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctys.testkit.Proc;

/**
 * ctys-consoled against Debian's conmand on the same consoles: 100 and 500 socat pty pairs as
 * serial lines, each streaming 80-byte lines at a fixed rate from one generator thread of this
 * program, both servers logging every console to disk with every line timestamped. The servers
 * run one after the other on the same lines, each given the same load for 10 s first (a JVM
 * compiles its hot paths; a daemon runs for months), then measured over the same window: from the
 * generator's first write until the server's logs stopped growing.
 *
 * <p>Per server and size: bytes logged per second (the console bytes in the log files, the
 * servers' own stamps and messages taken out, compared byte for byte with what was sent: what is
 * missing is printed as lost), CPU seconds of the server's process tree in the window (utime +
 * stime from /proc), its peak resident set (VmHWM), and the delay from a probe line written on
 * the first console's far end to a watcher seeing it: one watcher per server, the server's own
 * client ({@code conman -m}, {@code ssh … --spy}) on a pty of {@code script}, a probe every
 * 200 ms, median and 95th percentile. Then the ratios ctys-consoled / conmand. The generator and
 * the socats run outside both servers' process trees; the socats' CPU is printed apart.
 *
 * <p>Needs conman, socat, openssh-client, bsdutils (script). Run from the project directory
 * after {@code mvn package}, on a quiet machine (the load average is printed with every run):
 * {@code java -cp target/test-classes:target/ctys.jar org.ctys.bench.ConsoleServerBench
 * [SECONDS [BYTES_PER_SECOND_EACH [SIZES [SERVERS]]]]}, defaults 30, 1000, 100,500,
 * conmand,ctys-consoled.
 */
public final class ConsoleServerBench {
    static final Duration PROBE_EVERY = Duration.ofMillis(200);
    /** The load each server gets before its measured window. */
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    /** How long the logs must stay the same size after the generator stopped for the server to count as done. */
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(120);
    static final String CONMAND = "conmand";
    static final String CTYS = "ctys-consoled";

    /** One server's run on one size. Delays in milliseconds, sorted. */
    record Result(String server, int consoles, long sentBytes, double sentSeconds, long loggedBytes, long lostBytes,
                  double seconds, double cpuSeconds, long peakRssKiB, double relayCpuSeconds, List<Double> delays,
                  int probes, String loadBefore, String loadAfter) {
        double loggedPerSecond() { return loggedBytes / seconds; }

        double delay(double quantile) {
            if (delays.isEmpty()) return Double.NaN;
            return delays.get(Math.max(0, (int) Math.ceil(quantile * delays.size()) - 1));
        }
    }

    private ConsoleServerBench() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        List<Integer> sizes = List.of((args.length > 2 ? args[2] : "100,500").split(",")).stream().map(Integer::parseInt).toList();
        List<String> servers = List.of((args.length > 3 ? args[3] : CONMAND + "," + CTYS).split(","));
        for (String s : servers) {
            if (!s.equals(CONMAND) && !s.equals(CTYS)) throw new IllegalArgumentException("no such server: " + s + " (conmand or ctys-consoled)");
        }
        header(servers);
        for (int n : sizes) {
            List<Result> results = bench(n, WARM_UP, seconds, rate, servers);
            print(n, seconds, rate, results);
        }
    }

    /** Runs every server on the same n lines, one after the other. */
    static List<Result> bench(int n, Duration warmUp, int seconds, int rate, List<String> servers) throws IOException {
        Path dir = Files.createTempDirectory("ctys-consolebench");
        List<Result> results = new ArrayList<>();
        try (ConsoleLines lines = ConsoleLines.start(dir, n)) {
            for (String server : servers) {
                results.add(measure(server, lines, Files.createDirectories(dir.resolve(server)), warmUp, seconds, rate));
            }
        } finally {
            Proc.deleteTree(dir);
        }
        return results;
    }

    private static Result measure(String kind, ConsoleLines lines, Path dir, Duration warmUp, int seconds, int rate)
            throws IOException {
        Duration startLimit = Duration.ofSeconds(60 + lines.lines().size() / 5);
        try (ConsoleServer server = kind.equals(CONMAND) ? Conmand.start(dir, lines.lines(), startLimit)
                : CtysConsoled.start(dir, lines.lines(), startLimit);
             Watcher watcher = server.watch(lines.lines().get(0).name())) {
            Generator generator = new Generator(lines.lines(), rate, PROBE_EVERY);
            // the same load before the window: a server that compiles its hot paths (a JVM) is measured warm, as it runs for months
            drain(server, generator.run(warmUp));
            long before = logged(server, generator.sentSoFar()).logged;
            String loadBefore = Hyperfine.loadAverage();
            double cpu0 = ProcessTree.of(server.process()).cpuSeconds();
            double relay0 = lines.relayCpuSeconds();
            Generator.Sent sent = generator.run(Duration.ofSeconds(seconds));
            Drained drained = drain(server, sent);
            ProcessTree.Usage usage = ProcessTree.of(server.process());
            String loadAfter = Hyperfine.loadAverage();
            Logged all = logged(server, generator.sentSoFar());
            List<Double> delays = new ArrayList<>();
            Map<Integer, Long> arrived = watcher.arrivals();
            sent.probes().forEach((id, at) -> {
                Long seen = arrived.get(id);
                if (seen != null) delays.add((seen - at) / 1e6);
            });
            delays.sort(null);
            return new Result(kind, lines.lines().size(), sent.total(), sent.seconds(), all.logged - before, all.lost,
                    (drained.lastGrowthNanos - sent.startNanos()) / 1e9, drained.cpuSeconds - cpu0, usage.peakRssKiB(),
                    lines.relayCpuSeconds() - relay0, List.copyOf(delays), sent.probes().size(), loadBefore, loadAfter);
        }
    }

    /** Console bytes in the server's logs, and bytes sent that are not there. */
    private record Logged(long logged, long lost) {}

    /** Compares each console's log with what it was sent; a log that holds anything else is a harness error. */
    private static Logged logged(ConsoleServer server, Map<String, byte[]> sent) throws IOException {
        long logged = 0;
        long lost = 0;
        for (Map.Entry<String, byte[]> c : sent.entrySet()) {
            byte[] log = server.consoleBytes(c.getKey());
            long same = Generator.samePrefix(c.getValue(), log);
            if (same < log.length) {
                throw new IllegalStateException(server.name() + "'s log of " + c.getKey() + " differs from what was sent at byte "
                        + same + ": sent '" + excerpt(c.getValue(), same) + "', logged '" + excerpt(log, same)
                        + "' (bytes lost or changed within the stream: the figures would not be comparable)");
            }
            logged += log.length;
            lost += c.getValue().length - log.length;
        }
        return new Logged(logged, lost);
    }

    /** When the server's logs last grew after the generator stopped, and its CPU seconds then. */
    private record Drained(long lastGrowthNanos, double cpuSeconds) {}

    private static Drained drain(ConsoleServer server, Generator.Sent sent) {
        long lastGrowth = sent.endNanos();
        double cpu = ProcessTree.of(server.process()).cpuSeconds();
        long size = ConsoleServer.sizeOnDisk(server.logDir());
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        while (System.nanoTime() - lastGrowth < QUIET.toNanos()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(server.name() + "'s logs still grew " + DRAIN_LIMIT.toSeconds()
                        + " s after the generator stopped");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            long now = ConsoleServer.sizeOnDisk(server.logDir());
            if (now != size) {
                size = now;
                lastGrowth = System.nanoTime();
                cpu = ProcessTree.of(server.process()).cpuSeconds();
            }
        }
        return new Drained(lastGrowth, cpu);
    }

    private static String excerpt(byte[] b, long at) {
        int from = (int) Math.max(0, at - 20);
        int to = (int) Math.min(b.length, at + 20);
        return new String(b, from, Math.max(0, to - from), StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
    }

    private static void header(List<String> servers) throws IOException, InterruptedException {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("java", "java -version");
        if (servers.contains(CONMAND)) versions.put("conmand", Conmand.VERSION);
        if (servers.contains(CTYS)) versions.put("ctys", "bin/ctys --version");
        versions.put("socat", "socat -V | grep 'socat version'");
        versions.put("ssh", "ssh -V");
        versions.put("script", "script --version");
        System.out.println("ConsoleServerBench: socat pty serial consoles, each streaming at a fixed rate, logged to disk"
                + " with timestamps; " + String.join(" against ", servers));
        for (Map.Entry<String, String> v : versions.entrySet()) System.out.printf("  %-12s %s%n", v.getKey(), firstLine(v.getValue()));
        String load = Hyperfine.loadAverage();
        System.out.printf("  %-12s %d cores, load average %s%n", "machine", Runtime.getRuntime().availableProcessors(), load);
        if (Double.parseDouble(load.split(" ")[0]) > 1.0) {
            System.out.println("  WARNING: the machine is not quiet (1-minute load above 1): figures taken now are not comparable");
        }
    }

    private static String firstLine(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command + " 2>&1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out.isEmpty() ? "(" + command + " printed nothing)" : out.lines().findFirst().orElse("");
    }

    static void print(int n, int seconds, int rate, List<Result> results) {
        System.out.println();
        System.out.printf("%d consoles, %d B/s each (%d-byte lines), %d s after %d s of the same load; a probe every %d ms on c001%n",
                n, rate, Generator.LINE_BYTES, seconds, WARM_UP.toSeconds(), PROBE_EVERY.toMillis());
        System.out.println("  server           sent B/s  logged B/s   lost B   CPU s  CPU %  peak RSS   delay median    p95"
                + "  probes   socat CPU s  load before / after");
        for (Result r : results) {
            System.out.printf("  %-14s %10.0f  %10.0f  %7d  %6.2f  %5.1f  %6.1f MB  %9.2f ms %6.2f ms  %3d/%-3d  %9.2f   %s / %s%n",
                    r.server(), r.sentBytes() / r.sentSeconds(), r.loggedPerSecond(), r.lostBytes(), r.cpuSeconds(),
                    100 * r.cpuSeconds() / r.seconds(), r.peakRssKiB() / 1024.0, r.delay(0.5), r.delay(0.95), r.delays().size(),
                    r.probes(), r.relayCpuSeconds(), r.loadBefore(), r.loadAfter());
        }
        Result peer = results.stream().filter(r -> r.server().equals(CONMAND)).findFirst().orElse(null);
        Result ctys = results.stream().filter(r -> r.server().equals(CTYS)).findFirst().orElse(null);
        if (peer == null || ctys == null) return;
        double throughput = ctys.loggedPerSecond() / peer.loggedPerSecond();
        double cpu = ctys.cpuSeconds() / peer.cpuSeconds();
        double median = ctys.delay(0.5) / peer.delay(0.5);
        System.out.printf("  ctys/conmand: logged B/s %.2fx, CPU %.2fx, peak RSS %.2fx, delay median %.2fx, p95 %.2fx%n",
                throughput, cpu, (double) ctys.peakRssKiB() / peer.peakRssKiB(), median, ctys.delay(0.95) / peer.delay(0.95));
        boolean met = throughput >= 1 - 1e-3 && cpu <= 1 && median < 1;
        System.out.printf("  goal (at least conmand's throughput at no more than its CPU, lower delay): %s%n", met ? "met" : "NOT met");
    }
}
