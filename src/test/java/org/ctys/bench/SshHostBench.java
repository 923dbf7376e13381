package org.ctys.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.SshKey;

/**
 * One SSH host, one command or one interactive shell: ctys against OpenSSH's {@code ssh} in the
 * same hyperfine run. Like for like: one OpenSSH sshd on 127.0.0.1, one ed25519 host key, one
 * ed25519 identity, the key exchange (curve25519-sha256), cipher (aes128-ctr) and MAC
 * (hmac-sha2-256) pinned on the server so both clients negotiate the same; before timing, each
 * tool's run is checked to be exactly one login in sshd's log. The shell case starts a login shell
 * on a pseudo terminal ({@code ssh -tt}, {@code ctys -z PTY}) and types {@code exit}: start to first
 * prompt and its end. Needs root, openssh-server, openssh-client, hyperfine. Run from the project
 * directory after {@code mvn package}:
 * {@code java -cp target/test-classes:target/ctys.jar org.ctys.bench.SshHostBench [RUNS]}.
 */
public final class SshHostBench {

    private SshHostBench() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path dir = Files.createTempDirectory("ctys-sshhostbench");
        SshKey key = SshKey.generate(dir.resolve("id_ed25519"));
        try (OpenSshd sshd = OpenSshd.onLoopback(dir.resolve("sshd"), key.publicKey(),
                List.of("Ciphers aes128-ctr", "MACs hmac-sha2-256", "MaxStartups 100"))) {
            Path home = Files.createDirectories(dir.resolve("home/.ssh")).getParent();
            key.copyTo(home.resolve(".ssh/id_ed25519"));
            sshd.trustIn(home);
            Path config = home.resolve(".ssh/config");
            Files.writeString(config, "Host h1\n  HostName 127.0.0.1\n  Port " + sshd.port + "\n  User "
                    + System.getProperty("user.name") + "\n  IdentityFile " + home.resolve(".ssh/id_ed25519")
                    + "\n  UserKnownHostsFile " + home.resolve(".ssh/known_hosts") + "\n  StrictHostKeyChecking yes\n"
                    + "  LogLevel ERROR\n");
            String ssh = "ssh -F " + config;
            String ctys = "env HOME=" + home + " bin/ctys -q";
            Map<String, String> command = new LinkedHashMap<>();
            command.put("ssh", ssh + " h1 true");
            command.put("ctys", ctys + " -t cli -a create=cmd:true h1 >/dev/null");
            Map<String, String> shell = new LinkedHashMap<>();
            shell.put("ssh -tt", "printf 'exit\\n' | " + ssh + " -tt h1 >/dev/null");
            shell.put("ctys -z PTY", "printf 'exit\\n' | " + ctys + " -z PTY -t cli -a create h1 >/dev/null");

            for (Map<String, String> cases : List.of(command, shell)) {
                for (Map.Entry<String, String> c : cases.entrySet()) oneLogin(sshd, c.getKey(), c.getValue());
            }
            Hyperfine.header("One SSH host on 127.0.0.1 (curve25519-sha256, ssh-ed25519 host key, ed25519 identity,"
                    + " aes128-ctr, hmac-sha2-256), median of " + runs + " runs (hyperfine):",
                    Map.of("ssh", "ssh -V", "sshd", "/usr/sbin/sshd -V"));
            print("true on one host", Hyperfine.medians(command, runs, null), "ssh");
            print("login shell to its first prompt, then exit", Hyperfine.medians(shell, runs, null), "ssh -tt");
            System.out.println("  load average after: " + Hyperfine.loadAverage());
        }
    }

    private static void print(String what, Map<String, Double> medians, String peer) {
        System.out.println("  " + what + ":");
        double base = medians.get(peer);
        for (Map.Entry<String, Double> m : medians.entrySet()) {
            System.out.printf("    %-14s %s  %5.2fx of %s%n", m.getKey(), Hyperfine.ms(m.getValue()), m.getValue() / base, peer);
        }
    }

    /** Runs the command once and checks that sshd saw exactly one login for it. */
    private static void oneLogin(OpenSshd sshd, String tool, String command) throws Exception {
        long before = logins(sshd);
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException(tool + " failed: " + command + "\n" + out);
        long seen = 0;
        for (int i = 0; i < 50 && seen != 1; i++) {
            seen = logins(sshd) - before;
            if (seen != 1) Thread.sleep(20);
        }
        if (seen != 1) throw new IllegalStateException(tool + ": sshd saw " + seen + " logins for one run, not 1");
        System.out.println("  " + tool + ": one run = 1 login in sshd's log");
    }

    private static long logins(OpenSshd sshd) throws Exception {
        return Files.readAllLines(sshd.log()).stream().filter(l -> l.contains("Accepted publickey")).count();
    }
}
