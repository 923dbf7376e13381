package org.ctys.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Running {@code true} on 64 and on 256 SSH targets (aliases of one OpenSSH sshd on 127.0.0.1 in
 * an ssh_config), ctys against {@code pdsh -R ssh} and {@code clush}, same config, same fan-out (64),
 * same run; the key exchange is pinned to curve25519-sha256 on the server so every client
 * negotiates the same one. Needs openssh-server, openssh-client, pdsh, clustershell, hyperfine.
 * Run from the project directory after {@code mvn package}:
 * {@code java -cp target/test-classes:target/ctys.jar org.ctys.bench.SshBench}.
 */
public final class SshBench {
    private static final int FANOUT = 64;

    private SshBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("ctys-sshbench");
        int port = freePort();
        sh("ssh-keygen -q -t ed25519 -N '' -f " + dir.resolve("host_key") + " && ssh-keygen -q -t ed25519 -N '' -f "
                + dir.resolve("id_ed25519") + " && cp " + dir.resolve("id_ed25519.pub") + " " + dir.resolve("authorized_keys"));
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "StrictModes no", "UsePAM no", "PidFile none",
                "KexAlgorithms curve25519-sha256", "MaxStartups 1000", "MaxSessions 1000", "LogLevel QUIET",
                "PermitRootLogin prohibit-password", "PasswordAuthentication no", "") );
        String hostKey = Files.readString(dir.resolve("host_key.pub")).trim();
        Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + hostKey + "\n");
        Files.writeString(dir.resolve("ssh_config"), String.join("\n",
                "Host h*", "  HostName 127.0.0.1", "  Port " + port, "  User " + System.getProperty("user.name"),
                "  IdentityFile " + dir.resolve("id_ed25519"), "  IdentitiesOnly yes",
                "  UserKnownHostsFile " + dir.resolve("known_hosts"), "  StrictHostKeyChecking yes",
                "  KexAlgorithms curve25519-sha256", "  LogLevel ERROR", ""));
        Files.setPosixFilePermissions(dir.resolve("id_ed25519"), PosixFilePermissions.fromString("rw-------"));
        // ctys reads known_hosts from its home's .ssh
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".ssh"));
        Files.copy(dir.resolve("known_hosts"), home.resolve(".ssh/known_hosts"));
        Process sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        try {
            waitForPort(port);
            Map<Integer, Map<String, Double>> all = new LinkedHashMap<>();
            for (int n : List.of(64, 256)) {
                String hosts = "h[001-" + String.format("%03d", n) + "]";
                String cfg = dir.resolve("ssh_config").toString();
                Map<String, String> cmds = new LinkedHashMap<>();
                cmds.put("pdsh -R ssh", "PDSH_SSH_ARGS='-F " + cfg + " -x -l%u %h' pdsh -R ssh -f " + FANOUT + " -w '"
                        + hosts + "' true");
                cmds.put("clush", "clush -f " + FANOUT + " -o '-F " + cfg + "' -w '" + hosts + "' -b true");
                cmds.put("ctys", "HOME=" + home + " bin/ctys -q -F " + cfg + " --parallel " + FANOUT
                        + " -t cli -a create=cmd:true '" + hosts + "' >/dev/null");
                for (Map.Entry<String, String> c : cmds.entrySet()) sh(c.getValue() + " >/dev/null");
                all.put(n, Hyperfine.medians(cmds, 5, null));
            }
            System.out.println("true on N SSH targets, fan-out " + FANOUT + ", curve25519-sha256; median of 5 runs (hyperfine):");
            for (Map.Entry<Integer, Map<String, Double>> e : all.entrySet()) {
                double best = Math.min(e.getValue().get("pdsh -R ssh"), e.getValue().get("clush"));
                for (Map.Entry<String, Double> r : e.getValue().entrySet()) {
                    System.out.printf("  N=%-4d %-14s %s  %5.2fx of the faster peer%n", e.getKey(), r.getKey(),
                            Hyperfine.ms(r.getValue()), r.getValue() / best);
                }
            }
        } finally {
            sshd.destroy();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("sshd did not start on port " + port);
    }

    private static void sh(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("failed (" + p.exitValue() + "): " + command + "\n" + out);
    }
}
