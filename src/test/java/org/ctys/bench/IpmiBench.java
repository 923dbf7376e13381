package org.ctys.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.ctys.transport.ipmi.IpmiSim;

/**
 * The power status of one BMC and of 64 (one OpenIPMI ipmi_sim each, distinct ports on 127.0.0.1),
 * whole processes as a sysadmin runs them, in one hyperfine run per size: ctys ({@code -t pm -a
 * list}, fan-out 64) against FreeIPMI's {@code ipmipower --stat} (its own fan-out; {@code -D
 * LAN_2_0 -I 3 -W opensesspriv} against this simulator) and {@code ipmitool -I lanplus -C 3 chassis
 * power status} (run 64-wide by {@code xargs -P 64} for 64). All use cipher suite 3; the password
 * reaches ipmipower by its config file, ipmitool by IPMI_PASSWORD and ctys by a 0600 file, none by
 * argv.
 *
 * <p>Before timing, each command is checked to report every machine "on", and to do the same work
 * on the wire: a capture on lo (tcpdump) counts, per tool, the RMCP+ sessions each BMC was asked
 * for (RAKP 3 messages: one per session that got as far as the key exchange) and the packets sent
 * to the BMCs; every tool must open exactly one session with every BMC. The packet counts differ
 * and are printed: ipmipower and ipmitool ask for the channel's authentication capabilities first
 * and raise the session's privilege, ctys does neither for a status (5 requests a BMC, against 7).
 * Needs openipmi, freeipmi-tools, ipmitool, hyperfine, tcpdump; runs as root (the capture).
 * Run from the project directory after {@code mvn package}:
 * {@code java -cp target/test-classes:target/ctys.jar org.ctys.bench.IpmiBench [runs [sizes]]},
 * sizes comma-separated, 1,64 by default.
 */
public final class IpmiBench {
    /** Goals of issue #10: ctys at most this many times ipmipower's time, by number of BMCs. */
    private static final Map<Integer, Double> GOALS = Map.of(1, 3.0, 64, 1.2);

    private IpmiBench() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        List<Integer> sizes = args.length > 1 ? List.of(args[1].split(",")).stream().map(Integer::parseInt).toList()
                : List.of(1, 64);
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("ipmipower", "ipmipower --version");
        versions.put("ipmitool", "ipmitool -V");
        versions.put("ipmi_sim", "echo \"$(ipmi_sim --version 2>&1 | grep -i 'simulator version')"
                + " (openipmi $(dpkg-query -W -f='${Version}' openipmi 2>/dev/null))\"");
        versions.put("tcpdump", "tcpdump --version");
        Hyperfine.header("IpmiBench: power status of " + sizes.stream().map(String::valueOf).collect(Collectors.joining(" and "))
                + " BMCs (ipmi_sim on 127.0.0.1, cipher suite 3), whole processes", versions);
        for (int n : sizes) bench(n, runs);
    }

    private static void bench(int n, int runs) throws Exception {
        Path dir = Files.createTempDirectory("ctys-ipmibench");
        List<IpmiSim> sims = new ArrayList<>();
        try {
            for (int i = 1; i <= n; i++) {
                sims.add(IpmiSim.start(Files.createDirectories(dir.resolve("bmc" + i)), IpmiSim.Options.defaults().poweredOn(true)));
            }
            IpmiSim first = sims.get(0);
            Path pw = dir.resolve("bmc.pw");
            Files.writeString(pw, first.password() + "\n");
            Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
            StringBuilder inv = new StringBuilder("machines:\n");
            List<String> hosts = new ArrayList<>();
            List<String> ports = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                IpmiSim s = sims.get(i);
                inv.append(String.format("  lab%02d: {bmc: {address: 127.0.0.1, port: %d, user: %s, password-file: %s}}%n",
                        i + 1, s.port(), s.user(), pw));
                hosts.add("127.0.0.1:" + s.port());
                ports.add(String.valueOf(s.port()));
            }
            Files.writeString(dir.resolve("inventory.yaml"), inv);
            Files.writeString(dir.resolve("freeipmi.conf"), "username " + first.user() + "\npassword " + first.password() + "\n");
            Files.setPosixFilePermissions(dir.resolve("freeipmi.conf"), PosixFilePermissions.fromString("rw-------"));
            Files.writeString(dir.resolve("ports"), String.join("\n", ports) + "\n");
            Path home = Files.createDirectories(dir.resolve("home"));

            Map<String, String> cmds = new LinkedHashMap<>();
            cmds.put("ipmipower", "ipmipower --config-file " + dir.resolve("freeipmi.conf") + " -D LAN_2_0 -I 3 -W opensesspriv"
                    + " -F " + n + " -h " + String.join(",", hosts) + " --stat");
            // the password goes from its file into ipmitool's environment; no command line holds it
            String ipmitool = "ipmitool -I lanplus -C 3 -H 127.0.0.1 -U " + first.user() + " -E";
            cmds.put(n == 1 ? "ipmitool" : "ipmitool xargs -P " + n, n == 1
                    ? "IPMI_PASSWORD=$(cat " + pw + ") " + ipmitool + " -p " + first.port() + " chassis power status"
                    : "IPMI_PASSWORD=$(cat " + pw + ") xargs -P " + n + " -I{} " + ipmitool + " -p {} chassis power status < "
                    + dir.resolve("ports"));
            cmds.put("ctys", "HOME=" + home + " bin/ctys --parallel " + n + " --inventory " + dir.resolve("inventory.yaml")
                    + " -q -t pm -a list");
            Set<Integer> bmcPorts = sims.stream().map(IpmiSim::port).collect(Collectors.toSet());
            Map<String, String> wire = new LinkedHashMap<>();
            for (Map.Entry<String, String> c : cmds.entrySet()) {
                Wire w = capture(bmcPorts, c.getValue(), n, c.getKey());
                w.check(c.getKey(), bmcPorts);
                wire.put(c.getKey(), w.sessions() + " sessions, " + w.packets + " packets to the BMCs");
            }
            Map<String, Double> m = Hyperfine.medians(cmds, runs, null);
            double peer = m.get("ipmipower");
            String what = n == 1 ? "one BMC" : n + " BMCs";
            System.out.println();
            System.out.println("power status of " + what + "; median of " + runs + " runs (hyperfine), load average "
                    + Hyperfine.loadAverage() + " after:");
            for (Map.Entry<String, Double> r : m.entrySet()) {
                System.out.printf("  %-22s %s  %5.2fx of ipmipower   (%s)%n", r.getKey(), Hyperfine.ms(r.getValue()),
                        r.getValue() / peer, wire.get(r.getKey()));
            }
            Double goal = GOALS.get(n);
            if (goal != null) {
                double ratio = m.get("ctys") / peer;
                System.out.printf("  goal: ctys <= %.1fx ipmipower: %s (%.2fx)%n", goal, ratio <= goal ? "met" : "NOT met", ratio);
            }
            System.out.println("  where ctys's time goes (-d 2, one run):");
            sh(cmds.get("ctys").replace(" -q ", " -q -d 2 ") + " 2>&1 >/dev/null | grep 'debug:' | sed 's/^/    /' >&2");
        } finally {
            sims.forEach(IpmiSim::close);
        }
    }

    /** What one run of a tool sent to the BMCs: per BMC port, its RAKP 3 messages; all its packets. */
    private record Wire(Map<Integer, Integer> rakp3, int packets) {
        int sessions() { return rakp3.values().stream().mapToInt(Integer::intValue).sum(); }

        void check(String tool, Set<Integer> bmcs) {
            Map<Integer, Integer> wrong = new TreeMap<>();
            for (int port : bmcs) {
                int k = rakp3.getOrDefault(port, 0);
                if (k != 1) wrong.put(port, k);
            }
            if (!wrong.isEmpty()) {
                throw new IllegalStateException(tool + " did not open exactly one session with every BMC (port=sessions): "
                        + wrong + "; not timed, the tools would not be doing the same work");
            }
        }
    }

    /** Lines that say on: ipmipower's and ipmitool's, or the rows of ctys's table whose POWER column says on. */
    static long poweredOn(String report) {
        List<String> lines = report.lines().toList();
        int power = lines.isEmpty() ? -1 : lines.get(0).indexOf(" POWER ");
        if (power >= 0 && lines.get(0).startsWith("TARGET")) {
            return lines.stream().skip(1).filter(l -> l.length() > power + 1 && l.startsWith("on ", power + 1)).count();
        }
        return lines.stream().filter(l -> l.matches(".*\\b(on|Chassis Power is on)\\s*")).count();
    }

    /**
     * Runs {@code command} once under a capture on lo of the UDP packets to the BMCs' ports, checks
     * it reported {@code n} machines on, and counts what it sent.
     */
    private static Wire capture(Set<Integer> ports, String command, int n, String tool) throws Exception {
        String filter = "udp and (" + ports.stream().map(p -> "dst port " + p).collect(Collectors.joining(" or ")) + ")";
        Process dump;
        try {
            // -l: line-buffered (a capture written with -w came out empty here); -x: the IP packet in hex
            dump = new ProcessBuilder("tcpdump", "-l", "-nn", "-x", "-i", "lo", filter).start();
        } catch (IOException e) {
            throw new IOException("tcpdump is not installed (Debian package tcpdump)", e);
        }
        try {
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(dump.getInputStream()));
            awaitListening(dump);
            String report = sh(command);
            long on = poweredOn(report);
            if (on != n) throw new IllegalStateException(tool + " reported " + on + " machines on, not " + n + ":\n" + report);
            // what is still in flight reaches the capture
            Thread.sleep(300);
            // SIGTERM through its handle: Process.destroy would close the pipe before its last lines are read
            dump.toHandle().destroy();
            if (!dump.waitFor(10, TimeUnit.SECONDS)) dump.destroyForcibly().waitFor();
            return parse(out.get(10, TimeUnit.SECONDS));
        } finally {
            if (dump.isAlive()) dump.destroyForcibly().waitFor();
        }
    }

    private static void awaitListening(Process dump) throws IOException {
        InputStream err = dump.getErrorStream();
        StringBuilder line = new StringBuilder();
        for (int c; (c = err.read()) >= 0; ) {
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            if (line.toString().startsWith("listening on")) {
                // the rest of its stderr (the counts at the end) is not needed, but must not block it
                CompletableFuture.runAsync(() -> readAll(err));
                return;
            }
            line.setLength(0);
        }
        throw new IOException("tcpdump ended before capturing: " + line + " (it needs root)");
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * tcpdump's text: a line per packet ("... > 127.0.0.1.PORT: UDP, length L"), then the IP packet
     * in hex lines ("\t0x0000:  4500 ..."). The RMCP message starts after the IP and UDP headers.
     */
    static Wire parse(String text) {
        Map<Integer, Integer> rakp3 = new HashMap<>();
        int packets = 0;
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("\t") || l.isBlank()) continue;
            packets++;
            StringBuilder hex = new StringBuilder();
            while (i + 1 < lines.size() && lines.get(i + 1).startsWith("\t")) {
                String h = lines.get(++i).trim();
                hex.append(h.substring(h.indexOf(':') + 1).replace(" ", ""));
            }
            byte[] ip = java.util.HexFormat.of().parseHex(hex.toString());
            int rmcp = (ip[0] & 0x0F) * 4 + 8;
            int port = (ip[rmcp - 6] & 0xFF) << 8 | ip[rmcp - 5] & 0xFF;
            // RMCP class IPMI, RMCP+ (authentication type 6), sessionless, payload type RAKP 3 (14h)
            if (ip.length > rmcp + 5 && ip[rmcp + 3] == 0x07 && ip[rmcp + 4] == 0x06 && (ip[rmcp + 5] & 0x3F) == 0x14) {
                rakp3.merge(port, 1, Integer::sum);
            }
        }
        return new Wire(rakp3, packets);
    }

    private static String sh(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("failed (" + p.exitValue() + "): " + command + "\n" + out);
        return out;
    }
}
