package org.ctys.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real OpenSSH server with its own config, host key and authorized_keys, listening on one
 * address, on 127.0.0.1 or inside a network namespace. It runs in the foreground ({@code -D}) so
 * the test owns the process; its log goes to a file the test reads to know it is listening (and
 * may read for what it logged).
 */
public final class OpenSshd implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(10);

    /** Its own directory: sshd_config, host key, authorized_keys, sshd.log. */
    public final Path dir;
    public final String address;
    public final int port;
    /** Its host key's public half. */
    public final Path hostKeyPub;
    private final Process process;

    private OpenSshd(Path dir, String address, int port, Path hostKeyPub, Process process) {
        this.dir = dir;
        this.address = address;
        this.port = port;
        this.hostKeyPub = hostKeyPub;
        this.process = process;
    }

    /** An sshd on 127.0.0.1 on a free port that lets {@code authorized} (a public key file) log in. */
    public static OpenSshd onLoopback(Path dir, Path authorized) throws IOException {
        return start(dir, null, "127.0.0.1", Proc.freePort(), authorized, List.of());
    }

    /** Like {@link #onLoopback(Path, Path)} with more sshd_config lines (e.g. a ForceCommand). */
    public static OpenSshd onLoopback(Path dir, Path authorized, List<String> extra) throws IOException {
        return start(dir, null, "127.0.0.1", Proc.freePort(), authorized, extra);
    }

    /**
     * @param namespace  null for the root namespace
     * @param authorized public key file whose keys may log in
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
    /**
     * An sshd_config for a test server: one address and port, one host key, root by key only, no PAM,
     * no pid file, logging to stderr at INFO; then {@code extra} lines.
     */
    public static String config(int port, String address, Path hostKey, Path authorizedKeys, List<String> extra) {
        List<String> lines = new ArrayList<>(List.of(
                "Port " + port,
                "ListenAddress " + address,
                "HostKey " + hostKey,
                "AuthorizedKeysFile " + authorizedKeys,
                "StrictModes no",
                "UsePAM no",
                "PidFile none",
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "LogLevel INFO"));
        lines.addAll(extra);
        return String.join("\n", lines) + "\n";
    }

    public static OpenSshd start(Path dir, String namespace, String address, int port, Path authorized,
                                 List<String> extra, Path hostCa) throws IOException {
        Proc.requireRoot();
        String sshd = Proc.require("/usr/sbin/sshd", "openssh-server");
        Files.createDirectories(dir);
        // sshd refuses to start without its privilege separation directory, which only the service creates.
        Files.createDirectories(Path.of("/run/sshd"));
        SshKey hostKey = SshKey.generate(dir.resolve("host_ed25519"), "ed25519", "ctys-test-host");
        List<String> lines = new ArrayList<>(extra);
        if (hostCa != null) {
            Path cert = dir.resolve("host_ed25519-cert.pub");
            Files.deleteIfExists(cert);
            Proc.ok(Proc.require("ssh-keygen", "openssh-client"), "-q", "-s", hostCa.toString(), "-I", "ctys-test-host",
                    "-h", "-n", address, hostKey.publicKey().toString());
            lines.add("HostCertificate " + cert);
        }
        Files.copy(authorized, dir.resolve("authorized_keys"), StandardCopyOption.REPLACE_EXISTING);
        Path config = dir.resolve("sshd_config");
        List<String> all = new ArrayList<>(List.of("KexAlgorithms curve25519-sha256", "AllowTcpForwarding yes"));
        all.addAll(lines);
        Files.writeString(config, config(port, address, hostKey.privateKey(), dir.resolve("authorized_keys"), all));
        Path log = dir.resolve("sshd.log");
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>();
        if (namespace != null) command.addAll(List.of(Proc.require("ip", "iproute2"), "netns", "exec", namespace));
        command.addAll(withoutStartFiles(List.of(sshd, "-D", "-e", "-f", config.toString())));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        OpenSshd started = new OpenSshd(dir, address, port, hostKey.publicKey(), p);
        started.awaitListening(log);
        return started;
    }

    /** The shell start files of the user the tests log in as (root): the machine's, not the test's. */
    private static final List<String> START_FILES = List.of(".bashrc", ".bash_profile", ".bash_login", ".profile");

    /**
     * {@code sshd} (the command) in a mount namespace of its own where the start files of the
     * tests' login user read as empty (/dev/null bound over them): each command a session runs
     * starts a shell, and Debian's bash reads ~/.bashrc for a command from sshd, so a machine whose root runs pyenv or the like there
     * (0.9 s a shell, measured on a build machine) would make every remote command that slow, and
     * tests of timing fail for the machine's sake. The sshd keeps the process it is started as
     * ({@code unshare} and {@code sh} exec it); nothing outside the namespace sees the mounts.
     */
    public static List<String> withoutStartFiles(List<String> command) {
        Path home = Path.of(System.getProperty("user.home"));
        List<Path> present = START_FILES.stream().map(home::resolve).filter(Files::isRegularFile).toList();
        if (present.isEmpty()) return command;
        StringBuilder script = new StringBuilder();
        for (Path f : present) script.append("mount --bind /dev/null ").append(Proc.shellQuote(f.toString())).append(" && ");
        script.append("exec \"$@\"");
        List<String> wrapped = new ArrayList<>(List.of(Proc.require("unshare", "util-linux"), "--mount", "--propagation", "private",
                "sh", "-c", script.toString(), "sshd"));
        wrapped.addAll(command);
        return wrapped;
    }

    private void awaitListening(Path log) throws IOException {
        long until = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < until) {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (text.contains("Server listening on " + address + " port " + port)) return;
            if (!process.isAlive()) {
                throw new AssertionError("sshd on " + address + ":" + port + " exited " + process.exitValue() + ": " + text);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
                throw new AssertionError("interrupted waiting for sshd", e);
            }
        }
        kill();
        throw new AssertionError("sshd on " + address + ":" + port + " not listening within " + START_LIMIT.toSeconds()
                + " s: " + Files.readString(log, StandardCharsets.UTF_8));
    }

    /** Its log (sshd -e): who logged in, with which key. */
    public Path log() {
        return dir.resolve("sshd.log");
    }

    /**
     * A process one of its sessions runs now (a remote command, a login shell) whose command line
     * contains {@code text}: sshd forks every session below itself, so only this server's count.
     */
    public Optional<ProcessHandle> sessionProcess(String text) {
        return Proc.descendant(process.toHandle(), text);
    }

    /** The host key as a known_hosts line under the name OpenSSH would use ({@code [addr]:port} unless port 22). */
    public String knownHostsLine() throws IOException {
        String key = Files.readString(hostKeyPub).strip();
        String name = port == 22 ? address : "[" + address + "]:" + port;
        return name + " " + key.substring(0, key.lastIndexOf(' '));
    }

    /** Appends {@link #knownHostsLine()} to {@code home}'s ~/.ssh/known_hosts: a client with that home trusts this server. */
    public void trustIn(Path home) throws IOException {
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(ssh.resolve("known_hosts"), knownHostsLine() + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Kills the daemon and every session process it forked, as a crash or reboot would (the
     * per-connection children outlive a killed listener and hold their TCP connections), and
     * waits until they are gone.
     */
    public void kill() {
        Proc.kill(process);
    }

    @Override
    public void close() {
        kill();
    }
}
