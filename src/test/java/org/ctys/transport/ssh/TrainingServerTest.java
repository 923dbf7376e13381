package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The server the launcher's class-data training logs in to: loopback only, a real login per key type, nothing run. */
@Timeout(120)
class TrainingServerTest {
    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private SshServer server;

    @BeforeEach
    void start() throws Exception {
        server = TrainingServer.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(true);
    }

    @Test
    void itListensOnLoopbackOnlyAndSaysItsPortLast() throws Exception {
        assertThat(server.getBoundAddresses()).isNotEmpty().allSatisfy(a ->
                assertThat(((InetSocketAddress) a).getAddress().isLoopbackAddress()).as(a.toString()).isTrue());
        assertThat(Files.readString(dir.resolve("ready")).trim()).isEqualTo(String.valueOf(server.getPort()));
        assertThat(Files.getPosixFilePermissions(dir.resolve("ed25519/.ssh/id_ed25519")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
    void eachHomeLogsInWithItsKeyTypeAndACommandAnswersWithoutRunning(String kind) throws Exception {
        try (SshTransport t = new SshTransport(new SshOptions(null, dir.resolve(kind), false, T, T))) {
            ExecResult r = t.exec(SshTarget.of("train-ssh"), "touch " + dir.resolve("ran"), T);
            assertThat(r.exitStatus()).isZero();
            assertThat(new String(r.stdout(), StandardCharsets.US_ASCII)).isEqualTo("trained\n");
        }
        assertThat(dir.resolve("ran")).as("the command was not run").doesNotExist();
    }

    @Test
    void aLoginShellOnAPseudoTerminalPromptsAndEndsWithExit() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (SshTransport t = new SshTransport(new SshOptions(null, dir.resolve("ed25519"), false, T, T));
             ShellChannel shell = t.shell(SshTarget.of("train-ssh"), new ShellChannel.Pty("xterm", 80, 24, java.util.Map.of()),
                     out, out, T)) {
            shell.stdin().write("exit\n".getBytes(StandardCharsets.US_ASCII));
            shell.stdin().flush();
            assertThat(shell.waitFor()).isZero();
        }
        assertThat(out.toString(StandardCharsets.US_ASCII)).startsWith("$ ").contains("logout");
    }

    @Test
    void aJumpHostForwardsToTheServerItselfOnly() throws Exception {
        try (SshTransport t = new SshTransport(new SshOptions(null, dir.resolve("ed25519"), false, T, T))) {
            SshTarget through = new SshTarget("train-ssh", null, null, List.of("train-ssh"));
            assertThat(t.exec(through, "true", T).exitStatus()).isZero();
            // anything else the jump host is asked to reach is refused
            SshTarget elsewhere = new SshTarget("127.0.0.1", null, 9, List.of("train-ssh"));
            assertThatThrownBy(() -> t.exec(elsewhere, "true", T)).isInstanceOf(SshFailure.class);
        }
    }
}
