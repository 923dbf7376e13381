package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server with its own config, host key and authorized_keys, listening on one
 * address, optionally inside a network namespace. It runs in the foreground ({@code -D}) so the
 * test owns the process; its log goes to a file the test reads to know it is listening.
 */
public final class OpenSshd implements AutoCloseable {

    final Path dir;
    final String address;
    final int port;
    final Path hostKeyPub;
    private final Process process;

    private OpenSshd(Path dir, String address, int port, Path hostKeyPub, Process process) {
        this.dir = dir;
        this.address = address;
        this.port = port;
        this.hostKeyPub = hostKeyPub;
        this.process = process;
    }

    /**
     * @param namespace null for the root namespace
     * @param authorized public key file whose key may log in
     */
    public static OpenSshd start(Path dir, String namespace, String address, int port, Path authorized) throws IOException {
        return start(dir, namespace, address, port, authorized, List.of());
    }

    /** @param extra more sshd_config lines, after the usual ones (e.g. a ForceCommand) */
    public static OpenSshd start(Path dir, String namespace, String address, int port, Path authorized,
                                 List<String> extra) throws IOException {
        return start(dir, namespace, address, port, authorized, extra, null);
    }

    /**
     * @param hostCa null, or a CA private key that signs the host key for {@code address} before sshd
     *               starts, so that it presents a host certificate (HostCertificate)
     */
    public static OpenSshd start(Path dir, String namespace, String address, int port, Path authorized,
                                 List<String> extra, Path hostCa) throws IOException {
        Tools.require("/usr/sbin/sshd", "openssh-server");
        Tools.require("/usr/bin/ssh-keygen", "openssh-client");
        Files.createDirectories(dir);
        // sshd refuses to start without its privilege separation directory, which only the service creates.
        Files.createDirectories(Path.of("/run/sshd"));
        Path hostKey = dir.resolve("host_ed25519");
        Files.deleteIfExists(hostKey);
        Files.deleteIfExists(dir.resolve("host_ed25519.pub"));
        Tools.ok("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ctys-test-host", "-f", hostKey.toString());
        List<String> lines = new ArrayList<>(extra);
        if (hostCa != null) {
            Files.deleteIfExists(dir.resolve("host_ed25519-cert.pub"));
            Tools.ok("/usr/bin/ssh-keygen", "-q", "-s", hostCa.toString(), "-I", "ctys-test-host", "-h", "-n", address,
                    hostKey + ".pub");
            lines.add("HostCertificate " + dir.resolve("host_ed25519-cert.pub"));
        }
        Files.copy(authorized, dir.resolve("authorized_keys"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress " + address,
                "HostKey " + hostKey,
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "StrictModes no",
                "UsePAM no",
                "PidFile none",
                "KexAlgorithms curve25519-sha256",
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "AllowTcpForwarding yes",
                "LogLevel INFO",
                "") + String.join("\n", lines) + (lines.isEmpty() ? "" : "\n"));
        Path log = dir.resolve("sshd.log");
        List<String> command = new ArrayList<>();
        if (namespace != null) {
            command.addAll(List.of("/usr/sbin/ip", "netns", "exec", namespace));
        }
        command.addAll(List.of("/usr/sbin/sshd", "-D", "-e", "-f", config.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        OpenSshd sshd = new OpenSshd(dir, address, port, dir.resolve("host_ed25519.pub"), p);
        sshd.awaitListening(log, Duration.ofSeconds(10));
        return sshd;
    }

    private void awaitListening(Path log, Duration limit) throws IOException {
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until) {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (text.contains("Server listening on " + address + " port " + port)) {
                return;
            }
            if (!process.isAlive()) {
                fail("sshd on " + address + ":" + port + " exited " + process.exitValue() + ": " + text);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for sshd");
            }
        }
        close();
        fail("sshd on " + address + ":" + port + " not listening within " + limit.toSeconds() + " s: "
                + Files.readString(log, StandardCharsets.UTF_8));
    }

    /** The host key as a known_hosts line under the name OpenSSH would use. */
    public String knownHostsLine() throws IOException {
        String key = Files.readString(hostKeyPub).strip();
        String name = port == 22 ? address : "[" + address + "]:" + port;
        return name + " " + key.substring(0, key.lastIndexOf(' '));
    }

    /**
     * Kills the daemon and every session process it forked, as a crash or reboot would: the
     * per-connection children outlive a killed OpenSSH listener, and they hold the TCP connection.
     */
    public void kill() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported by the caller's own bounded wait if it matters
            }
        }
    }

    @Override
    public void close() {
        kill();
    }
}
