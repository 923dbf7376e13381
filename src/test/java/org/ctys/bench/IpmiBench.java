package org.ctys.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctys.transport.ipmi.IpmiSim;

/**
 * The power status of 64 BMCs (one OpenIPMI ipmi_sim each, distinct ports on 127.0.0.1), whole
 * processes as a sysadmin runs them, in one run: ctys ({@code -t pm -a list}, fan-out 64) against
 * FreeIPMI's {@code ipmipower --stat} (its own fan-out; {@code -D LAN_2_0 -I 3 -W opensesspriv}
 * against this simulator) and {@code ipmitool -I lanplus -C 3 chassis power status} run 64-wide
 * by {@code xargs -P 64}. All use cipher suite 3; the password reaches ipmipower by its config file,
 * ipmitool by IPMI_PASSWORD and ctys by a 0600 file, none by argv. Each command is checked to
 * report 64 machines "on" before it is timed. Needs openipmi, freeipmi-tools, ipmitool, hyperfine.
 * Run from the project directory after {@code mvn package}:
 * {@code java -cp target/test-classes:target/ctys.jar org.ctys.bench.IpmiBench}.
 */
public final class IpmiBench {
    private static final int N = 64;

    private IpmiBench() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path dir = Files.createTempDirectory("ctys-ipmibench");
        List<IpmiSim> sims = new ArrayList<>();
        try {
            for (int i = 1; i <= N; i++) {
                sims.add(IpmiSim.start(Files.createDirectories(dir.resolve("bmc" + i)), IpmiSim.Options.defaults().poweredOn(true)));
            }
            IpmiSim first = sims.get(0);
            Path pw = dir.resolve("bmc.pw");
            Files.writeString(pw, first.password() + "\n");
            Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
            StringBuilder inv = new StringBuilder("machines:\n");
            List<String> hosts = new ArrayList<>();
            List<String> ports = new ArrayList<>();
            for (int i = 0; i < N; i++) {
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
                    + " -F " + N + " -h " + String.join(",", hosts) + " --stat");
            // the password goes from its file into ipmitool's environment; no command line holds it
            cmds.put("ipmitool xargs -P 64", "IPMI_PASSWORD=$(cat " + pw + ") xargs -P " + N
                    + " -I{} ipmitool -I lanplus -C 3 -H 127.0.0.1 -p {} -U " + first.user() + " -E chassis power status < "
                    + dir.resolve("ports"));
            cmds.put("ctys", "HOME=" + home + " bin/ctys --parallel " + N + " --inventory " + dir.resolve("inventory.yaml")
                    + " -q -t pm -a list");
            for (Map.Entry<String, String> c : cmds.entrySet()) {
                String out = sh(c.getValue());
                long on = out.lines().filter(l -> l.matches(".*\\b(on|Chassis Power is on)\\s*(ok)?\\s*")).count();
                if (on != N) throw new IllegalStateException(c.getKey() + " reported " + on + " machines on, not " + N + ":\n" + out);
            }
            Map<String, Double> m = Hyperfine.medians(cmds, runs, null);
            double peer = m.get("ipmipower");
            System.out.println("power status of " + N + " BMCs (ipmi_sim, cipher suite 3), whole processes; median of "
                    + runs + " runs (hyperfine):");
            for (Map.Entry<String, Double> r : m.entrySet()) {
                System.out.printf("  %-22s %s  %5.2fx of ipmipower%n", r.getKey(), Hyperfine.ms(r.getValue()), r.getValue() / peer);
            }
            System.out.println("where ctys's time goes (-d 2, one run):");
            sh(cmds.get("ctys").replace(" -q ", " -q -d 2 ") + " 2>&1 >/dev/null | grep 'debug:' | sed 's/^/  /' >&2");
        } finally {
            sims.forEach(IpmiSim::close);
        }
    }

    private static String sh(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("failed (" + p.exitValue() + "): " + command + "\n" + out);
        return out;
    }
}
