package org.ctys.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctys.testkit.NetLab;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Proc;

/**
 * Running {@code true} on 64 and on 256 SSH targets, ctys against {@code pdsh -R ssh} and
 * {@code clush} in the same hyperfine run, each target its own endpoint.
 *
 * <p>Like for like: every target is its own address, 127.0.0.1, 127.0.0.2, ... 127.0.1.0, so
 * no tool can share one connection between targets (ctys shares a connection per user@host:port,
 * which a benchmark of aliases of one address would measure instead of the fan-out). OpenSSH's
 * sshd listens on at most 16 sockets, so one sshd listens on 0.0.0.0:22 inside a network
 * namespace of this program's own (only {@code lo}, on which all of 127.0.0.0/8 is local; the
 * default route and the private ranges blackholed, IPv6 off), and every tool runs inside it. All
 * tools read the same ssh_config (one Host block per target naming its address, one identity,
 * host keys checked against one known_hosts), use the same fan-out, and see the same server, whose
 * only key exchange is curve25519-sha256. Before timing, each tool runs once while this program
 * reads sshd's log (LogLevel VERBOSE): every tool must have had exactly N sessions accepted, on N
 * distinct local addresses, the ones of the targets; after timing, the log must hold N sessions
 * more for every run hyperfine made. The counts, the CPU sshd spent on each tool's run and
 * hyperfine's medians, ranges and ratios are printed.
 *
 * <p>Needs root, iproute2, openssh-server, openssh-client, pdsh, clustershell, hyperfine. Run
 * from the project directory after {@code mvn package}, holding the lock the integration tests
 * hold: {@code flock /tmp/ctys-it.lock java -cp target/test-classes:target/ctys.jar
 * org.ctys.bench.SshBench [RUNS [N ...]]} (default: 10 runs, N = 64 and 256).
 */
public final class SshBench {
    private static final int FANOUT = 64;
    private static final List<Integer> SIZES = List.of(64, 256);
    private static final String PDSH = "pdsh -R ssh";
    private static final String CLUSH = "clush";
    private static final String CTYS = "ctys";
    private static final Pattern ACCEPTED = Pattern.compile("Accepted publickey for root from ");
    /** sshd at VERBOSE: "Connection from 127.0.0.1 port 40022 on 127.0.0.7 port 22 rdomain """. */
    private static final Pattern CONNECTION = Pattern.compile("Connection from \\S+ port \\d+ on (\\S+) port 22\\b");
    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

    private SshBench() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<Integer> sizes = args.length > 1 ? java.util.Arrays.stream(args, 1, args.length).map(Integer::valueOf).toList() : SIZES;
        Proc.requireRoot();
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("ssh", "ssh -V");
        versions.put("sshd", "/usr/sbin/sshd -V");
        versions.put("pdsh", "pdsh -V");
        versions.put("clush", "clush --version");
        Hyperfine.header("true on N SSH targets, each its own address (127.0.0.1 ... in a network namespace), one sshd,"
                + " curve25519-sha256, fan-out " + FANOUT, versions);
        Path dir = Files.createTempDirectory("ctys-sshbench");
        try (NetLab lab = NetLab.create("sshbench")) {
            String ns = lab.host("srv");
            Files.createDirectories(Path.of("/run/sshd"));
            sh("ssh-keygen -q -t ed25519 -N '' -f " + dir.resolve("host_key") + " && ssh-keygen -q -t ed25519 -N '' -f "
                    + dir.resolve("id_ed25519") + " && cp " + dir.resolve("id_ed25519.pub") + " " + dir.resolve("authorized_keys"));
            // MaxStartups: the default (10:30:100) drops connections beyond 10 unauthenticated ones at random
            String config = OpenSshd.config(22, "0.0.0.0", dir.resolve("host_key"), dir.resolve("authorized_keys"),
                    List.of("KexAlgorithms curve25519-sha256", "MaxStartups 1000", "MaxSessions 1000"))
                    .replace("LogLevel INFO", "LogLevel VERBOSE");
            Files.writeString(dir.resolve("sshd_config"), config);
            Path home = writeClientFiles(dir, java.util.Collections.max(sizes));
            Path log = dir.resolve("sshd.log");
            // the sessions' shell (bash -c true) reads none of root's start files, whatever the machine has in them
            List<String> command = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns));
            command.addAll(OpenSshd.withoutStartFiles(List.of("/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString())));
            Process sshd = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try {
                if (!Proc.await(() -> read(log).contains("Server listening on 0.0.0.0 port 22"), Duration.ofSeconds(10))) {
                    throw new IllegalStateException("sshd did not start: " + read(log));
                }
                bench(ns, dir, home, log, sshd, runs, sizes);
            } finally {
                Proc.kill(sshd);
            }
        } finally {
            Proc.deleteTree(dir);
        }
    }

    private static void bench(String ns, Path dir, Path home, Path log, Process sshd, int runs, List<Integer> sizes)
            throws Exception {
        String cfg = dir.resolve("ssh_config").toString();
        String ctys = Path.of("bin/ctys").toAbsolutePath().toString();
        // the same environment for every tool and for hyperfine: the bench's home, no agent, inside the namespace
        List<String> launcher = List.of("env", "-u", "SSH_AUTH_SOCK", "HOME=" + home, "ip", "netns", "exec", ns);
        Map<Integer, List<JsonNode>> timed = new LinkedHashMap<>();
        for (int n : sizes) {
            String hosts = "h[001-" + String.format("%03d", n) + "]";
            Map<String, String> cmds = new LinkedHashMap<>();
            cmds.put(PDSH, "PDSH_SSH_ARGS='-F " + cfg + " -x -l%u %h' pdsh -R ssh -f " + FANOUT + " -w '" + hosts + "' true");
            cmds.put(CLUSH, "clush -f " + FANOUT + " -o '-F " + cfg + "' -w '" + hosts + "' -b true");
            cmds.put(CTYS, ctys + " -q -F " + cfg + " --parallel " + FANOUT + " -t cli -a create=cmd:true '" + hosts + "'");
            cmds.replaceAll((tool, c) -> c + " >/dev/null");
            System.out.printf("N=%d: what sshd saw of one run of each tool (checked before timing):%n", n);
            for (Map.Entry<String, String> c : cmds.entrySet()) {
                check(c.getKey(), c.getValue(), n, launcher, log, sshd);
            }
            long before = accepted(read(log));
            List<JsonNode> results = Hyperfine.results(launcher, cmds, runs, List.of());
            awaitSessionsEnded(sshd);
            long during = accepted(read(log)) - before;
            long expected = (long) cmds.size() * (Hyperfine.WARMUP + runs) * n;
            if (during != expected) {
                throw new IllegalStateException("during timing sshd accepted " + during + " sessions, expected " + expected
                        + " (" + cmds.size() + " tools x " + (Hyperfine.WARMUP + runs) + " runs x " + n + ")");
            }
            System.out.printf("  during timing: %d sessions accepted = %d tools x %d runs (%d warm-up) x %d targets%n",
                    during, cmds.size(), Hyperfine.WARMUP + runs, Hyperfine.WARMUP, n);
            timed.put(n, results);
        }
        System.out.printf("true on N targets, fan-out %d; hyperfine, %d runs each after %d warm-up; load average now %s%n",
                FANOUT, runs, Hyperfine.WARMUP, Hyperfine.loadAverage());
        System.out.println("  N     tool           median      min .. max              user+sys   tool / faster peer");
        for (Map.Entry<Integer, List<JsonNode>> e : timed.entrySet()) {
            Map<String, JsonNode> byTool = new LinkedHashMap<>();
            for (JsonNode r : e.getValue()) byTool.put(r.get("command").asText(), r);
            double peer = Math.min(byTool.get(PDSH).get("median").asDouble(), byTool.get(CLUSH).get("median").asDouble());
            for (Map.Entry<String, JsonNode> r : byTool.entrySet()) {
                JsonNode j = r.getValue();
                System.out.printf("  %-5d %-12s %s  %6.0f .. %6.0f ms  %8.0f ms   %5.2fx%n", e.getKey(), r.getKey(),
                        Hyperfine.ms(j.get("median").asDouble()), j.get("min").asDouble() * 1000, j.get("max").asDouble() * 1000,
                        (j.get("user").asDouble() + j.get("system").asDouble()) * 1000, j.get("median").asDouble() / peer);
            }
        }
        System.out.println("  (tool / faster peer < 1: the tool is faster than the faster of pdsh and clush; user+sys is the"
                + " tool's own CPU, sshd's is printed above)");
    }

    /**
     * Runs a tool once and checks what sshd logged meanwhile: n sessions accepted, on n distinct
     * local addresses, those of the targets. Prints the counts and sshd's CPU for the run.
     */
    private static void check(String tool, String command, int n, List<String> launcher, Path log, Process sshd)
            throws Exception {
        long offset = Files.size(log);
        long cpuBefore = cpuTicks(sshd);
        List<String> argv = new ArrayList<>(launcher);
        argv.addAll(List.of("sh", "-c", command));
        Proc.Outcome o = Proc.run(Duration.ofMinutes(2), argv);
        long wall = o.took().toMillis();
        if (o.exit() != 0) throw new IllegalStateException(tool + " failed (" + o.exit() + "): " + command + "\n" + o.err());
        // a warning is not a failure, but it is shown: every tool should run quietly on this config
        if (!o.err().isBlank()) System.out.printf("  %-12s said on stderr: %s%n", tool, o.err().strip().lines().findFirst().orElse(""));
        awaitSessionsEnded(sshd);
        long cpu = (cpuTicks(sshd) - cpuBefore) * 1000 / CLOCK_TICKS;
        String seen = readFrom(log, offset);
        long accepted = accepted(seen);
        Set<String> endpoints = new LinkedHashSet<>();
        Matcher m = CONNECTION.matcher(seen);
        while (m.find()) endpoints.add(m.group(1));
        Set<String> expected = new LinkedHashSet<>();
        for (int i = 1; i <= n; i++) expected.add(address(i));
        System.out.printf("  %-12s %4d sessions accepted, %4d distinct target addresses, sshd CPU %5d ms, wall %5d ms%n",
                tool, accepted, endpoints.size(), cpu, wall);
        if (accepted != n || !endpoints.equals(expected)) {
            throw new IllegalStateException(tool + ": sshd accepted " + accepted + " sessions on " + endpoints.size()
                    + " addresses; expected " + n + " on " + address(1) + " .. " + address(n));
        }
    }

    /** Target i (1-based): 127.0.0.1 .. 127.0.0.255, 127.0.1.0, ... */
    static String address(int i) {
        return "127.0." + (i >> 8) + "." + (i & 255);
    }

    /**
     * The client side every tool shares: a home with an identity and a known_hosts naming each
     * target's address, and an ssh_config with one Host block per target. Returns the home.
     */
    private static Path writeClientFiles(Path dir, int max) throws IOException {
        Path home = dir.resolve("home");
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Files.setPosixFilePermissions(dir.resolve("id_ed25519"), PosixFilePermissions.fromString("rw-------"));
        String key = Files.readString(dir.resolve("host_key.pub")).strip();
        key = key.substring(0, key.lastIndexOf(' '));
        StringBuilder known = new StringBuilder();
        StringBuilder config = new StringBuilder();
        for (int i = 1; i <= max; i++) {
            known.append(address(i)).append(' ').append(key).append('\n');
            config.append(String.format("Host h%03d%n  HostName %s%n", i, address(i)));
        }
        Files.writeString(ssh.resolve("known_hosts"), known);
        config.append(String.join("\n", "Host *", "  User root", "  Port 22", "  IdentityFile " + dir.resolve("id_ed25519"),
                "  UserKnownHostsFile " + ssh.resolve("known_hosts"), "  StrictHostKeyChecking yes",
                "  LogLevel ERROR", ""));
        Files.writeString(dir.resolve("ssh_config"), config);
        return home;
    }

    /** sshd forks a process per connection; the run is over for sshd when none is left (and its CPU is counted). */
    private static void awaitSessionsEnded(Process sshd) {
        if (!Proc.await(() -> sshd.toHandle().children().findAny().isEmpty(), Duration.ofSeconds(10))) {
            throw new IllegalStateException("sshd still has session processes 10 s after the run");
        }
    }

    /** CPU of sshd and every session process it has reaped (utime, stime, cutime, cstime), in clock ticks. */
    private static long cpuTicks(Process sshd) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + sshd.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields 14..17 of stat; f[0] is field 3
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    private static long accepted(String log) {
        return ACCEPTED.matcher(log).results().count();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String readFrom(Path log, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            byte[] b = new byte[(int) (f.length() - offset)];
            f.seek(offset);
            f.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    private static void sh(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("failed (" + p.exitValue() + "): " + command + "\n" + out);
    }
}
