package org.ctys.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ctys-bootd from the built jar (bin/ctys-bootd), as a machine runs it: its configuration in a test
 * directory (a certificate of a {@link SiteCa} for boot.example, fixed free ports on 127.0.0.1: QEMU's
 * user networking reaches them as 10.0.2.2), the daemon in the background with its log in a file,
 * and its job and image commands run like -t boot runs them.
 */
public final class BootdProcess implements AutoCloseable {
    public static final String NAME = "boot.example";
    private static final String LISTENING = "ctys-bootd: listening on https ";

    public final Path config;
    public final Path log;
    private Process daemon;

    private BootdProcess(Path config, Path log) {
        this.config = config;
        this.log = log;
    }

    /**
     * Writes {@code dir}/bootd.yaml: name boot.example, the address the machines connect to,
     * https and http on 127.0.0.1 at the given ports, {@code server}'s certificate and key (made
     * 0600), the CA {@code caCertificate} for the image, the spool and image below {@code dir}.
     */
    public static BootdProcess configure(Path dir, String address, int httpsPort, int httpPort, Path caCertificate,
                                         SiteCa.Server server) throws IOException {
        Files.setPosixFilePermissions(server.key(), PosixFilePermissions.fromString("rw-------"));
        Path f = dir.resolve("bootd.yaml");
        Files.writeString(f, "name: " + NAME + "\naddress: " + address + "\nhttps: 127.0.0.1:" + httpsPort
                + "\nhttp: 127.0.0.1:" + httpPort + "\ncertificate: " + server.certificate() + "\nkey: " + server.key()
                + "\nca: " + caCertificate + "\nspool: " + dir.resolve("spool") + "\nimage: " + dir.resolve("image") + "\n");
        return new BootdProcess(f, dir.resolve("bootd.log"));
    }

    public static String launcher() { return Path.of("bin/ctys-bootd").toAbsolutePath().toString(); }

    /** Starts the daemon and returns once it listens (60 s at most); {@code javaOpts} go to CTYS_BOOTD_JAVA_OPTS. */
    public BootdProcess start(String javaOpts) throws IOException {
        if (!Files.isRegularFile(Path.of("target/ctys.jar"))) {
            throw new AssertionError("target/ctys.jar is missing: these tests run after 'mvn package' (mvn verify)");
        }
        ProcessBuilder pb = new ProcessBuilder(Proc.require("timeout", "coreutils"), "-s", "KILL", "1800",
                launcher(), "--config", config.toString());
        pb.environment().put("CTYS_NO_BUILD", "1");
        if (javaOpts != null) pb.environment().put("CTYS_BOOTD_JAVA_OPTS", javaOpts);
        pb.redirectOutput(log.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        daemon = pb.start();
        if (!Proc.await(() -> log().contains(LISTENING) || !daemon.isAlive(), Duration.ofSeconds(60))) {
            Proc.kill(daemon);
            throw new AssertionError("ctys-bootd did not listen within 60 s; it said:\n" + log());
        }
        if (!daemon.isAlive()) throw new AssertionError("ctys-bootd ended before it listened; it said:\n" + log());
        return this;
    }

    /** What the daemon has said so far (its log). */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code ctys-bootd --config C ARGS...} with {@code stdin} (null: none), bounded by {@code limit}. */
    public Proc.Outcome run(String stdin, Duration limit, String... args) {
        List<String> cmd = new ArrayList<>(List.of(launcher(), "--config", config.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("CTYS_NO_BUILD", "1");
        return Proc.runAllowingTimeout(pb, stdin, limit);
    }

    /** SIGTERM, and its exit status once it ended (30 s at most; killed and failing after that). */
    public int stop() throws InterruptedException {
        daemon.destroy(); // SIGTERM to timeout(1), which passes it on to the daemon
        if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
            Proc.kill(daemon);
            throw new AssertionError("ctys-bootd did not stop within 30 s of SIGTERM; it said:\n" + log());
        }
        return daemon.exitValue();
    }

    /** Stops a daemon still running, without judging how. */
    @Override
    public void close() {
        if (daemon != null && daemon.isAlive()) Proc.kill(daemon);
    }
}
