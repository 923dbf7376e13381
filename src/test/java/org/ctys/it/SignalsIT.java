package org.ctys.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.ctys.transport.ipmi.IpmiSim;
import org.ctys.transport.ipmi.IpmiTool;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SIGTERM and SIGHUP (and SIGINT) sent to a running ctys by another process, as kill, systemd or a
 * closing terminal send them: ctys reports what was done, stops its children and waits for them,
 * closes its SSH and BMC sessions, and exits 128 + the signal's number. The peers decide: the
 * process table for a local child, OpenSSH's sshd for a remote one, ipmi_sim's session table
 * (read with ipmitool) for a BMC.
 */
class SignalsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path dir;
    private final List<AutoCloseable> peers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable p : peers) p.close();
    }

    @ParameterizedTest(name = "SIG{0}")
    @CsvSource({"TERM, 143, terminated (SIGTERM)", "HUP, 129, hung up (SIGHUP)", "INT, 130, interrupted"})
    void aLocalCommandIsStoppedAndReapedAndTheRunReported(String signal, int status, String why) throws Exception {
        Running ctys = Running.start(dir, Map.of(), "-X", "-t", "cli", "-a", "create=cmd:sleep 6011; echo never");
        List<ProcessHandle> children = ctys.awaitChildren("sleep 6011");

        Running.Ended end = ctys.signal(signal);

        assertThat(end.exit()).as(end.toString()).isEqualTo(status);
        assertThat(end.out()).startsWith("localhost;INTERRUPTED;interrupted;").contains(why).doesNotContain("never");
        assertThat(children).as("the command and its shell are gone once ctys has ended").noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aRemoteCommandOnAPseudoTerminalEndsWithItsSession() throws Exception {
        Path key = dir.resolve("id_ed25519");
        Proc.ok("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        int port = Proc.freePort();
        OpenSshd sshd = OpenSshd.start(dir.resolve("sshd"), null, "127.0.0.1", port, Path.of(key + ".pub"));
        peers.add(sshd);
        Path ssh = Files.createDirectories(dir.resolve("home/.ssh"));
        Files.copy(key, ssh.resolve("id_ed25519"));
        Files.writeString(ssh.resolve("config"), "Host lab1\n  HostName 127.0.0.1\n  Port " + port + "\n  User "
                + System.getProperty("user.name") + "\n");
        Files.writeString(ssh.resolve("known_hosts"), sshd.knownHostsLine() + "\n");

        // with a pseudo terminal, as ssh -t: the remote command is hung up when its session closes
        Running ctys = Running.start(dir, Map.of(), "-X", "-z", "PTY", "-t", "cli", "-a", "create=cmd:sleep 6012", "lab1");
        assertThat(await(() -> remoteSleep() != null, "the remote sleep")).as("the remote command runs").isTrue();
        ProcessHandle remote = remoteSleep();

        Running.Ended end = ctys.signal("TERM");

        assertThat(end.exit()).as(end.toString()).isEqualTo(143);
        assertThat(end.out()).startsWith("lab1;INTERRUPTED;interrupted;").contains("terminated (SIGTERM)");
        assertThat(await(() -> !remote.isAlive(), "the remote sleep to end")).as("the remote command ended with its session")
                .isTrue();
    }

    @Test
    void aBmcSessionInTheMiddleOfASoftOffWaitIsClosed() throws Exception {
        IpmiSim s = IpmiSim.start(Files.createDirectories(dir.resolve("bmc1")),
                IpmiSim.Options.defaults().poweredOn(true).ignoringSoftOff());
        peers.add(s);
        Path pw = dir.resolve("lab01.pw");
        Files.writeString(pw, s.password() + "\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Path inv = dir.resolve("inventory.yaml");
        Files.writeString(inv, "machines:\n  lab01:\n    host: 127.0.0.1\n    bmc: {address: 127.0.0.1, port: " + s.port()
                + ", user: " + s.user() + ", password-file: " + pw + "}\n");

        Running ctys = Running.start(dir, Map.of(), "--inventory", inv.toString(), "-X", "-t", "pm", "-a",
                "cancel=ipmi,timeout:60s", "lab01");
        assertThat(await(() -> actions(s).contains("shutdown"), "the soft off")).as("ctys asked for a soft off and waits").isTrue();
        Thread.sleep(500);

        Running.Ended end = ctys.signal("TERM");

        assertThat(end.exit()).as(end.toString()).isEqualTo(143);
        assertThat(end.out()).startsWith("lab01;INTERRUPTED;interrupted;").contains("terminated (SIGTERM)");
        assertThat(activeSessions(s)).as("ctys gave its session back: only ipmitool's own is active").isEqualTo(1);
        assertThat(actions(s)).as("no hard off was sent after the signal").containsExactly("shutdown");
    }

    private static List<String> actions(IpmiSim s) {
        try {
            return s.actions();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static int activeSessions(IpmiSim s) {
        IpmiTool.Result r = IpmiTool.run(s, "session", "info", "active");
        assertThat(r.exit()).as(r.output()).isZero();
        return (int) r.out().lines().filter(l -> l.startsWith("session handle")).count();
    }

    /** The command sshd started for ctys (the server runs on this machine, as this user). */
    private static ProcessHandle remoteSleep() {
        return ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").endsWith("sleep 6012"))
                .filter(h -> !h.info().commandLine().orElse("").contains("org.ctys.Main")).findFirst().orElse(null);
    }

    private static boolean await(BooleanSupplier done, String what) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            if (done.getAsBoolean()) return true;
            Thread.sleep(50);
        }
        return false;
    }

    /** ctys running in its own JVM, for as long as the test needs before it signals it. */
    private record Running(Process process, Path out, Path err) {

        record Ended(int exit, String out, String err) {
            @Override
            public String toString() { return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err; }
        }

        static Running start(Path dir, Map<String, String> env, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "org.ctys.Main"));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            Path home = Files.createDirectories(dir.resolve("home"));
            pb.environment().put("HOME", home.toString());
            pb.environment().put("CTYS_ETHERS", home.resolve("no-ethers").toString());
            pb.environment().put("CTYS_SYSTEM_INVENTORY", home.resolve("no-inventory.yaml").toString());
            pb.environment().remove("CTYS_INVENTORY");
            pb.environment().putAll(env);
            Path out = Files.createTempFile(dir, "ctys-", ".out");
            Path err = Files.createTempFile(dir, "ctys-", ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            return new Running(pb.start(), out, err);
        }

        /** The processes ctys started, once one of them runs {@code command}. */
        List<ProcessHandle> awaitChildren(String command) throws Exception {
            long until = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < until) {
                List<ProcessHandle> children = process.descendants().toList();
                if (children.stream().anyMatch(h -> h.info().commandLine().orElse("").contains(command))) return children;
                Thread.sleep(50);
            }
            process.destroyForcibly();
            throw new AssertionError("ctys did not start '" + command + "' within " + WAIT + ": " + Files.readString(err));
        }

        Ended signal(String name) throws Exception {
            Proc.ok("/bin/kill", "-" + name, String.valueOf(process.pid()));
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("ctys still runs 30 s after SIG" + name);
                return new Ended(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
