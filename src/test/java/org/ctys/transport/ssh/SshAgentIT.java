package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SshKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The transport with a real ssh-agent against a real OpenSSH server: the keys the server accepts
 * are only in the agent, never in the home's .ssh, so a login proves the agent signed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class SshAgentIT {

    static {
        SshTransport.quietMina();
    }

    private static final Duration T = Duration.ofSeconds(20);

    private Path work;
    private Path home;
    private Path edKey;
    private Path rsaKey;
    private OpenSshd sshd;
    private final List<Process> agents = new ArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("ctys-agent-it");
        Path keys = Files.createDirectories(work.resolve("keys"));
        edKey = SshKey.generate(keys.resolve("agent_ed25519"), "ed25519", "ctys-agent-ed").privateKey();
        rsaKey = SshKey.generate(keys.resolve("agent_rsa"), "rsa", "ctys-agent-rsa").privateKey();
        Path authorized = work.resolve("authorized");
        Files.writeString(authorized, Files.readString(Path.of(edKey + ".pub")) + Files.readString(Path.of(rsaKey + ".pub")));
        sshd = OpenSshd.onLoopback(work.resolve("sshd"), authorized);
    }

    @AfterAll
    void stop() {
        agents.forEach(Proc::stop);
        if (sshd != null) {
            sshd.kill();
        }
        Proc.deleteTree(work);
    }

    @BeforeEach
    void freshHome() throws Exception {
        home = Files.createTempDirectory(work, "home");
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        // No IdentityFile and no default identity: only an agent can log in.
        Files.writeString(ssh.resolve("config"), """
                Host lab*
                    HostName 127.0.0.1
                    Port %d
                    User root
                """.formatted(sshd.port));
        sshd.trustIn(home);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        toClose.clear();
    }

    /** A fresh ssh-agent in the foreground holding the given keys; returns its socket. */
    private Path agent(Path... keys) throws Exception {
        Path socket = Files.createTempDirectory(work, "agent").resolve("sock");
        Process p = new ProcessBuilder(Proc.require("ssh-agent", "openssh-client"), "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("agent-" + agents.size() + ".log").toFile()).start();
        agents.add(p);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket)) {
            assertThat(p.isAlive()).as("ssh-agent running").isTrue();
            assertThat(System.nanoTime()).as("ssh-agent socket within 10 s").isLessThan(until);
            Thread.sleep(20);
        }
        for (Path key : keys) {
            Proc.Outcome a = Proc.run(Duration.ofSeconds(10), Map.of("SSH_AUTH_SOCK", socket.toString()),
                    List.of(Proc.require("ssh-add", "openssh-client"), key.toString()));
            assertThat(a.exit()).as(a.toString()).isZero();
        }
        return socket;
    }

    private SshTransport transport(Path agentSocket, boolean forward) {
        SshTransport t = new SshTransport(new SshOptions(null, home, false, Duration.ofSeconds(5), Duration.ofSeconds(5),
                agentSocket, forward));
        toClose.add(t);
        return t;
    }

    private static String fingerprint(Path key) {
        return SshKey.fingerprint(Path.of(key + ".pub"));
    }

        @Test
    void logsInWithAnEd25519KeyHeldOnlyByTheAgent() throws Exception {
        Path socket = agent(edKey);

        ExecResult r = transport(socket, false).exec(SshTarget.of("lab1"), "id -un", T);

        assertThat(r.exitStatus()).isZero();
        assertThat(r.stdoutText()).isEqualTo("root\n");
    }

    @Test
    void logsInWithAnRsaKeyHeldOnlyByTheAgentSigningWithSha2() throws Exception {
        Path socket = agent(rsaKey);

        ExecResult r = transport(socket, false).exec(SshTarget.of("lab1"), "echo ok", T);

        assertThat(r.stdoutText()).isEqualTo("ok\n");
        // OpenSSH 8.8 and later refuse ssh-rsa (SHA-1) signatures: the login above used rsa-sha2-256/512.
        assertThat(Files.readString(sshd.dir.resolve("sshd.log"))).containsPattern("Accepted publickey for root .* RSA SHA256:");
    }

    /** The config's IdentityFile before the agent's keys, as ssh: seven other keys in the agent no longer use up MaxAuthTries 6. */
    @Test
    void theIdentityFileIsOfferedBeforeTheAgentsOtherKeys() throws Exception {
        List<Path> others = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Path k = work.resolve("keys/many" + i);
            if (!Files.exists(k)) SshKey.generate(k, "ed25519", "many" + i);
            others.add(k);
        }
        Path socket = agent(others.toArray(Path[]::new));
        Path id = home.resolve(".ssh/lab_key");
        Files.copy(edKey, id);
        Files.writeString(home.resolve(".ssh/config"), "Host lab*\n    IdentityFile ~/.ssh/lab_key\n",
                java.nio.file.StandardOpenOption.APPEND);

        ExecResult r = transport(socket, false).exec(SshTarget.of("lab1"), "echo ok", T);

        assertThat(r.stdoutText()).isEqualTo("ok\n");
    }

    /**
     * IdentitiesOnly yes: the agent signs for an IdentityFile it holds (here one with a passphrase, known by its .pub),
     * and no other key of the agent is offered.
     */
    @Test
    void identitiesOnlyOffersTheFilesKeysAloneTheAgentSigningForOneItHolds() throws Exception {
        Path wrong = work.resolve("keys/wrong");
        if (!Files.exists(wrong)) SshKey.generate(wrong, "ed25519", "wrong");
        Path socket = agent(edKey);
        Files.copy(wrong, home.resolve(".ssh/wrong_key"));
        Files.copy(Path.of(wrong + ".pub"), home.resolve(".ssh/wrong_key.pub"));
        Path locked = home.resolve(".ssh/locked_key");
        Files.copy(edKey, locked);
        Files.copy(Path.of(edKey + ".pub"), Path.of(locked + ".pub"));
        Proc.Outcome p = Proc.run(Duration.ofSeconds(10), List.of(Proc.require("ssh-keygen", "openssh-client"), "-q", "-p", "-P", "",
                "-N", "not-typed-here", "-f", locked.toString()));
        assertThat(p.exit()).as(p.toString()).isZero();
        Files.writeString(home.resolve(".ssh/config"), """
                Host only-wrong
                    HostName 127.0.0.1
                    Port %1$d
                    User root
                    IdentityFile ~/.ssh/wrong_key
                    IdentitiesOnly yes
                Host any-wrong
                    HostName 127.0.0.1
                    Port %1$d
                    User root
                    IdentityFile ~/.ssh/wrong_key
                Host only-locked
                    HostName 127.0.0.1
                    Port %1$d
                    User root
                    IdentityFile ~/.ssh/locked_key
                    IdentitiesOnly yes
                Host only-pub
                    HostName 127.0.0.1
                    Port %1$d
                    User root
                    IdentityFile ~/.ssh/token_key
                    IdentitiesOnly yes
                """.formatted(sshd.port));
        // a key that lives only in the agent (a token): its .pub alone names it
        Files.copy(Path.of(edKey + ".pub"), home.resolve(".ssh/token_key.pub"));

        assertThatThrownBy(() -> transport(socket, false).exec(SshTarget.of("only-wrong"), "true", T))
                .isInstanceOfSatisfying(SshFailure.class, f -> assertThat(f.kind()).isEqualTo(SshFailure.Kind.AUTH))
                .hasMessageContaining("none of the other keys of ssh-agent at " + socket + " (IdentitiesOnly yes)");
        assertThat(transport(socket, false).exec(SshTarget.of("any-wrong"), "echo agent", T).stdoutText()).isEqualTo("agent\n");
        assertThat(transport(socket, false).exec(SshTarget.of("only-locked"), "echo held", T).stdoutText()).isEqualTo("held\n");
        assertThat(transport(socket, false).exec(SshTarget.of("only-pub"), "echo token", T).stdoutText()).isEqualTo("token\n");
    }

    @Test
    void withoutTheAgentTheSameHomeCannotLogIn() {
        assertThatThrownBy(() -> transport(null, false).exec(SshTarget.of("lab1"), "true", T))
                .isInstanceOfSatisfying(SshFailure.class, f -> assertThat(f.kind()).isEqualTo(SshFailure.Kind.AUTH))
                .hasMessageContaining("no identity file");
    }

    @Test
    void anAgentWithoutTheKeyIsPermissionDenied() throws Exception {
        Path other = work.resolve("keys/other");
        if (!Files.exists(other)) {
            SshKey.generate(other, "ed25519", "other");
        }
        Path socket = agent(other);

        assertThatThrownBy(() -> transport(socket, false).exec(SshTarget.of("lab1"), "true", T))
                .isInstanceOfSatisfying(SshFailure.class, f -> assertThat(f.kind()).isEqualTo(SshFailure.Kind.AUTH))
                .hasMessageContaining("permission denied").hasMessageContaining("ssh-agent at " + socket);
    }

    @Test
    void aMissingAgentSocketFailsAuthSayingWhy() {
        Path socket = work.resolve("no-such-agent.sock");
        long start = System.nanoTime();

        assertThatThrownBy(() -> transport(socket, false).exec(SshTarget.of("lab1"), "true", T))
                .isInstanceOfSatisfying(SshFailure.class, f -> assertThat(f.kind()).isEqualTo(SshFailure.Kind.AUTH))
                .hasMessageContaining("ssh-agent at " + socket + " (unreachable");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aStaleAgentSocketFailsAuthSayingWhy() throws Exception {
        Path socket = Files.createTempDirectory(work, "stale").resolve("sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists(); // the agent died; its socket file stayed behind

        assertThatThrownBy(() -> transport(socket, false).exec(SshTarget.of("lab1"), "true", T))
                .isInstanceOfSatisfying(SshFailure.class, f -> assertThat(f.kind()).isEqualTo(SshFailure.Kind.AUTH))
                .hasMessageContaining("(unreachable");
    }

    @Test
    void anAgentThatNeverAnswersFailsWithinTheAuthTimeout() throws Exception {
        Path socket = Files.createTempDirectory(work, "mute").resolve("sock");
        try (ServerSocketChannel mute = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            mute.bind(UnixDomainSocketAddress.of(socket));
            List<SocketChannel> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(mute.accept());
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            SshTransport t = new SshTransport(new SshOptions(null, home, false, Duration.ofSeconds(5), Duration.ofSeconds(2),
                    socket, false));
            toClose.add(t);
            long start = System.nanoTime();

            assertThatThrownBy(() -> t.exec(SshTarget.of("lab1"), "true", T)).isInstanceOf(SshFailure.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        }
    }

    @Test
    void forwardedAgentListsTheLocalKeyOnTheRemote() throws Exception {
        Path socket = agent(edKey);

        ExecResult r = transport(socket, true).exec(SshTarget.of("lab1"), "echo \"$SSH_AUTH_SOCK\"; ssh-add -l", T);

        assertThat(r.exitStatus()).as(r.stderrText()).isZero();
        List<String> lines = r.stdoutText().lines().toList();
        assertThat(lines.get(0)).isNotBlank().isNotEqualTo(socket.toString());
        assertThat(lines.get(1)).contains(fingerprint(edKey)).contains("ctys-agent-ed");
    }

    @Test
    void withoutForwardingTheRemoteHasNoAgent() throws Exception {
        Path socket = agent(edKey);

        ExecResult r = transport(socket, false).exec(SshTarget.of("lab1"), "ssh-add -l", T);

        assertThat(r.exitStatus()).isEqualTo(2);
        assertThat(r.stderrText()).contains("Could not open a connection to your authentication agent");
    }

    @Test
    void ptyGivesTheCommandATerminal() throws Exception {
        Path socket = agent(edKey);
        SshTransport t = transport(socket, false);

        ExecResult withPty = t.exec(SshTarget.of("lab1"), "tty; echo to-stderr >&2", T, true);
        ExecResult without = t.exec(SshTarget.of("lab1"), "tty", T, false);

        assertThat(withPty.exitStatus()).isZero();
        assertThat(withPty.stdoutText()).matches("(?s)/dev/pts/\\d+\r?\n.*to-stderr.*");
        assertThat(without.exitStatus()).isEqualTo(1);
        assertThat(without.stdoutText()).isEqualTo("not a tty\n");
    }


    /** The ctys command line in its own JVM, with this test's home and the given agent socket. */
    private Proc.Outcome ctys(Path agentSocket, String... args) {
        return new CtysRunner(home).env("SSH_AUTH_SOCK", agentSocket.toString()).run(args);
    }

    @Test
    void theCommandLineTakesTheAgentFromTheEnvironmentAndHonoursMinusYAndMinusZ() throws Exception {
        Path socket = agent(edKey);

        Proc.Outcome plain = ctys(socket, "-q", "-t", "cli", "-a", "create=cmd:tty; ssh-add -l; true", "lab1");
        Proc.Outcome both = ctys(socket, "-q", "-Y", "-z", "PTY", "-t", "cli", "-a", "create=cmd:tty; ssh-add -l", "lab1");

        assertThat(plain.exit()).as(plain.err()).isZero();
        assertThat(plain.out()).contains("not a tty").doesNotContain(fingerprint(edKey));
        assertThat(both.exit()).as(both.err()).isZero();
        assertThat(both.out()).containsPattern("/dev/pts/\\d+").contains(fingerprint(edKey));
    }
}
