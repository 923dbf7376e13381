package org.ctys.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SshKey;
import org.ctys.transport.ipmi.IpmiSim;
import org.ctys.transport.ipmi.IpmiTool;
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
    /** How long ctys may take to end after the signal. */
    private static final Duration END = Duration.ofSeconds(30);

    @TempDir Path dir;
    /** Peers and ctys runs, closed last first. */
    private final List<AutoCloseable> peers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = peers.size() - 1; i >= 0; i--) peers.get(i).close();
    }

    @ParameterizedTest(name = "SIG{0}")
    @CsvSource({"TERM, 143, terminated (SIGTERM)", "HUP, 129, hung up (SIGHUP)", "INT, 130, interrupted"})
    void aLocalCommandIsStoppedAndReapedAndTheRunReported(String signal, int status, String why) throws Exception {
        Path rest = dir.resolve("after-the-sleep");
        CtysRunner.Running ctys = start("-X", "-t", "cli", "-a", "create=cmd:sleep 6011; touch " + rest);
        ctys.awaitDescendant("sleep 6011", WAIT);
        List<ProcessHandle> children = ctys.descendants();

        Proc.Outcome end = ctys.signal(signal, END);

        assertThat(end.exit()).as(end.toString()).isEqualTo(status);
        // the report says what was under way when the signal came
        assertThat(end.out()).startsWith("localhost;INTERRUPTED;interrupted;").contains(why)
                .contains("(last: running: sh -c 'sleep 6011");
        assertThat(rest).as("the rest of the command never ran").doesNotExist();
        assertThat(children).as("the command and its shell are gone once ctys has ended").noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aRemoteCommandOnAPseudoTerminalEndsWithItsSession() throws Exception {
        SshKey key = SshKey.generate(dir.resolve("id_ed25519"));
        OpenSshd sshd = OpenSshd.onLoopback(dir.resolve("sshd"), key.publicKey());
        peers.add(sshd);
        Path home = home();
        key.copyTo(home.resolve(".ssh/id_ed25519"));
        Files.writeString(home.resolve(".ssh/config"), "Host lab1\n  HostName 127.0.0.1\n  Port " + sshd.port + "\n  User "
                + System.getProperty("user.name") + "\n");
        sshd.trustIn(home);

        // with a pseudo terminal, as ssh -t: the remote command is hung up when its session closes
        CtysRunner.Running ctys = start("-X", "-z", "PTY", "-t", "cli", "-a", "create=cmd:sleep 6012", "lab1");
        // kept from the look that found it: the shell sshd starts execs into the command, and a second look
        // can fall in the moment its command line is being replaced (CI once found nothing there)
        AtomicReference<ProcessHandle> found = new AtomicReference<>();
        assertThat(Proc.await(() -> sshd.sessionProcess("sleep 6012").map(h -> {
            found.set(h);
            return true;
        }).orElse(false), WAIT)).as("the remote command runs").isTrue();
        ProcessHandle remote = found.get();

        Proc.Outcome end = ctys.signal("TERM", END);

        assertThat(end.exit()).as(end.toString()).isEqualTo(143);
        assertThat(end.out()).startsWith("lab1;INTERRUPTED;interrupted;").contains("terminated (SIGTERM)");
        assertThat(Proc.await(() -> !remote.isAlive(), WAIT)).as("the remote command ended with its session")
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

        CtysRunner.Running ctys = start("--inventory", inv.toString(), "-X", "-t", "pm", "-a", "cancel=ipmi,timeout:60s",
                "lab01");
        assertThat(Proc.await(() -> actions(s).contains("shutdown"), WAIT)).as("ctys asked for a soft off and waits").isTrue();
        Thread.sleep(500);

        Proc.Outcome end = ctys.signal("TERM", END);

        assertThat(end.exit()).as(end.toString()).isEqualTo(143);
        assertThat(end.out()).startsWith("lab01;INTERRUPTED;interrupted;").contains("terminated (SIGTERM)");
        assertThat(IpmiTool.activeSessions(s)).as("ctys gave its session back: only ipmitool's own is active").isEqualTo(1);
        assertThat(actions(s)).as("no hard off was sent after the signal").containsExactly("shutdown");
    }

    private static List<String> actions(IpmiSim s) {
        try {
            return s.actions();
        } catch (IOException e) {
            return List.of();
        }
    }

    private Path home() throws IOException {
        return Files.createDirectories(dir.resolve("home"));
    }

    /** ctys in the background, with the test's home, until the test signals it (closed after the test). */
    private CtysRunner.Running start(String... args) throws IOException {
        CtysRunner.Running ctys = new CtysRunner(home()).start(args);
        peers.add(ctys);
        return ctys;
    }
}
