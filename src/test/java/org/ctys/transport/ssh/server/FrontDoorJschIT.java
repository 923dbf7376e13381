package org.ctys.transport.ssh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelShell;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SshKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The front door with JSch, an SSH client written independently of MINA and OpenSSH: exec and shell
 * channels with a pseudo terminal and its size changes, stderr, refused keys and passwords, the host
 * key checked against the file the door made, and close() ending the sessions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class FrontDoorJschIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int CONNECT_MS = 10_000;

    private Path work;
    private SshKey alice;
    private SshKey stranger;
    private Predicate<PublicKey> aliceKeys;
    private final Probe probe = new Probe();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private SshFrontDoor door;
    private Path hostKey;

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("ctys-door-jsch-it");
        alice = SshKey.generate(work.resolve("alice"));
        stranger = SshKey.generate(work.resolve("stranger"));
        aliceKeys = AuthorizedKeys.read(Files.writeString(work.resolve("alice.keys"), alice.publicLine() + "\n"));
        hostKey = work.resolve("host_key");
        door = open(probe, hostKey);
    }

    @BeforeEach
    void forget() {
        probe.seen.clear();
        events.clear();
    }

    @AfterAll
    void stop() {
        if (door != null) door.close();
        Proc.deleteTree(work);
    }

    @Test
    void anExecChannelWithAPseudoTerminalReportsCommandAndSize() throws Exception {
        Session s = login(alice, "alice");
        try {
            ChannelExec exec = (ChannelExec) s.openChannel("exec");
            exec.setCommand("lab07 --replay 20");
            exec.setPty(true);
            exec.setPtyType("xterm", 132, 43, 0, 0);
            Sink out = new Sink();
            exec.setOutputStream(out);
            exec.connect(CONNECT_MS);
            await(exec::isClosed, "the exec channel closed");
            assertThat(out.text()).isEqualTo("user=alice cmd=[lab07 --replay 20] pty=true size=132x43\r\n");
            assertThat(exec.getExitStatus()).isZero();
        } finally {
            s.disconnect();
        }
    }

    @Test
    void anExecChannelWithoutPseudoTerminalHasStderrApartAndItsStatus() throws Exception {
        Session s = login(alice, "alice");
        try {
            ChannelExec exec = (ChannelExec) s.openChannel("exec");
            exec.setCommand("streams");
            Sink out = new Sink();
            Sink err = new Sink();
            exec.setOutputStream(out);
            exec.setErrStream(err);
            exec.connect(CONNECT_MS);
            await(exec::isClosed, "the exec channel closed");
            assertThat(out.text()).isEqualTo("to-out\n");
            assertThat(err.text()).isEqualTo("to-err\n");
            assertThat(exec.getExitStatus()).isZero();

            ChannelExec nine = (ChannelExec) s.openChannel("exec");
            nine.setCommand("exit 9");
            nine.connect(CONNECT_MS);
            await(nine::isClosed, "the second exec channel closed");
            assertThat(nine.getExitStatus()).isEqualTo(9);
        } finally {
            s.disconnect();
        }
    }

    @Test
    void aShellChannelWithAPseudoTerminalEchoesFollowsTheWindowAndEndsWithTheStatus() throws Exception {
        Session s = login(alice, "alice");
        try {
            ChannelShell shell = (ChannelShell) s.openChannel("shell");
            shell.setPtyType("vt100", 90, 25, 0, 0);
            Sink out = new Sink();
            shell.setOutputStream(out);
            OutputStream keys = shell.getOutputStream();
            shell.connect(CONNECT_MS);
            await(() -> out.text().contains("user=alice cmd=[] pty=true size=90x25\r\n"), "the report: " + out.text());
            keys.write("abc".getBytes(StandardCharsets.US_ASCII));
            keys.flush();
            await(() -> out.text().contains("ABC"), "ABC: " + out.text());
            shell.setPtySize(120, 40, 0, 0);
            await(() -> out.text().contains("resized 120x40 (120x40)"), "the window change: " + out.text());
            keys.write('q');
            keys.flush();
            await(shell::isClosed, "the shell closed: " + out.text());
            assertThat(out.text()).endsWith("Q\r\nbye\r\n");
            assertThat(shell.getExitStatus()).isEqualTo(3);
        } finally {
            s.disconnect();
        }
    }

    @Test
    void aKeyNobodyAuthorizedIsRefusedAndLogged() {
        assertThatThrownBy(() -> login(stranger, "alice")).isInstanceOf(JSchException.class)
                .hasMessageContaining("Auth fail");
        assertThat(events).anyMatch(e -> e.startsWith("refused key " + stranger.fingerprint() + " for alice from 127.0.0.1:"));
        assertThat(probe.seen).isEmpty();
    }

    @Test
    void aPasswordIsNeverAskedFor() throws Exception {
        Session s = session(client(door, hostKey), door, "alice");
        s.setPassword("not the way in".getBytes(StandardCharsets.US_ASCII));
        s.setConfig("PreferredAuthentications", "password,keyboard-interactive");
        assertThatThrownBy(() -> s.connect(CONNECT_MS)).isInstanceOf(JSchException.class).hasMessageContaining("Auth");
        assertThat(s.isConnected()).isFalse();
        assertThat(probe.seen).isEmpty();
        assertThat(String.join("\n", events)).doesNotContain("not the way in");
    }

    @Test
    void closeEndsEverySessionAndStopsListening() throws Exception {
        Probe own = new Probe();
        Path closingKey = work.resolve("closing_host_key");
        SshFrontDoor closing = open(own, closingKey);
        Session s = login(closing, closingKey, alice, "alice");
        ChannelShell shell = (ChannelShell) s.openChannel("shell");
        Sink out = new Sink();
        shell.setOutputStream(out);
        shell.connect(CONNECT_MS);
        await(() -> out.text().contains("user=alice cmd=[]"), "the report");
        closing.close();
        await(shell::isClosed, "the shell closed by the door");
        await(() -> !s.isConnected(), "the connection closed by the door");
        assertThatThrownBy(() -> login(closing, closingKey, alice, "alice")).isInstanceOf(JSchException.class);
    }

    private SshFrontDoor open(Probe handler, Path hostKey) throws Exception {
        return SshFrontDoor.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), hostKey,
                (user, key) -> user.equals("alice") && aliceKeys.test(key), handler,
                new SshFrontDoor.Settings(Duration.ofSeconds(10), events::add));
    }

    /** A JSch that trusts exactly the host key the door wrote beside its private key ({@code hostKey}.pub). */
    private JSch client(SshFrontDoor target, Path hostKey) throws Exception {
        JSch jsch = new JSch();
        String line = Files.readString(Path.of(hostKey + ".pub")).strip();
        Path known = work.resolve("known_hosts_" + target.port());
        Files.writeString(known, "[127.0.0.1]:" + target.port() + " " + line.substring(0, line.lastIndexOf(" ctys-consoled")) + "\n");
        jsch.setKnownHosts(known.toString());
        return jsch;
    }

    private Session session(JSch jsch, SshFrontDoor target, String user) throws Exception {
        Session s = jsch.getSession(user, "127.0.0.1", target.port());
        s.setConfig("StrictHostKeyChecking", "yes");
        return s;
    }

    private Session login(SshFrontDoor target, Path hostKey, SshKey key, String user) throws Exception {
        JSch jsch = client(target, hostKey);
        jsch.addIdentity(key.privateKey().toString());
        Session s = session(jsch, target, user);
        s.setConfig("PreferredAuthentications", "publickey");
        s.connect(CONNECT_MS);
        return s;
    }

    private Session login(SshKey key, String user) throws Exception {
        return login(door, hostKey, key, user);
    }

    private static void await(java.util.function.BooleanSupplier done, String what) {
        assertThat(Proc.await(done, WAIT)).as("no " + what + " within " + WAIT.toSeconds() + " s").isTrue();
    }

    /** What a channel wrote, collected on JSch's thread, read on the test's. */
    private static final class Sink extends OutputStream {
        private final StringBuffer text = new StringBuffer();

        @Override
        public void write(int b) {
            text.append((char) (b & 0xff));
        }

        @Override
        public void write(byte[] b, int off, int len) {
            text.append(new String(b, off, len, StandardCharsets.ISO_8859_1));
        }

        String text() {
            return text.toString();
        }
    }
}
