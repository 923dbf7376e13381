package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ctys.testkit.NetLab;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SilentPeer;
import org.ctys.testkit.SshKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The transport against real OpenSSH servers: one on 127.0.0.1 reached through ~/.ssh/config, and
 * three in a chain of network namespaces reached only through each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class SshOpenSshIT {

    static {
        SshTransport.quietMina();
    }

    private static final Duration T = Duration.ofSeconds(20);

    private Path work;
    private Path home;
    private Path key;
    private OpenSshd local;
    private NetLab lab;
    private NetLab.Hop hopA;
    private NetLab.Hop hopB;
    private NetLab.Hop hopC;
    private final List<OpenSshd> chain = new ArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    void startServers() throws Exception {
        Proc.require("ssh", "openssh-client");
        work = Files.createTempDirectory("ctys-ssh-it");
        key = SshKey.generate(work.resolve("keys/lab_key"), "ed25519", "ctys-it").privateKey();
        local = OpenSshd.onLoopback(work.resolve("local"), Path.of(key + ".pub"));
        // root - a - b - c, each reachable only from the one before it
        lab = NetLab.create("ctyssh");
        List<NetLab.Hop> hops = lab.chain("10.214", "a", "b", "c");
        hopA = hops.get(0);
        hopB = hops.get(1);
        hopC = hops.get(2);
        for (NetLab.Hop hop : hops) {
            chain.add(OpenSshd.start(work.resolve(hop.name()), hop.ns(), hop.address(), 22, Path.of(key + ".pub")));
        }
    }

    @AfterAll
    void stopServers() {
        chain.forEach(OpenSshd::kill);
        if (local != null) {
            local.kill();
        }
        if (lab != null) {
            lab.close();
        }
        Proc.deleteTree(work);
    }

    @BeforeEach
    void freshHome() throws Exception {
        home = Files.createTempDirectory(work, "home");
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Files.copy(key, ssh.resolve("lab_key"));
        // The namespace hosts match no Host entry: they authenticate with the default identity.
        Files.copy(key, ssh.resolve("id_ed25519"));
        Files.writeString(ssh.resolve("config"), """
                Host lab*
                    HostName 127.0.0.1
                    Port %d
                    User root
                    IdentityFile ~/.ssh/lab_key
                """.formatted(local.port));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        toClose.clear();
    }

    private SshTransport transport(boolean acceptNew) {
        return transport(acceptNew, Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    private SshTransport transport(boolean acceptNew, Duration connect, Duration auth) {
        SshTransport t = new SshTransport(new SshOptions(null, home, acceptNew, connect, auth));
        toClose.add(t);
        return t;
    }

    private void trust(OpenSshd... servers) throws IOException {
        for (OpenSshd s : servers) {
            s.trustIn(home);
        }
    }

        private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void execResolvesTheHostThroughTheConfigAndKeepsStdoutAndStderrApart() throws Exception {
        trust(local);

        ExecResult r = transport(false).exec(SshTarget.of("lab1"),
                "id -un; printf 'to stderr\\n' >&2; printf '\\000\\377binary'; exit 7", T);

        assertThat(r.stdout()).isEqualTo("root\n\0\u00ffbinary".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(r.stderrText()).isEqualTo("to stderr\n");
        assertThat(r.exitStatus()).isEqualTo(7);
    }

    @Test
    void inputReachesACommandOfOpenSshWholeThenEndOfInput() throws Exception {
        trust(local);
        byte[] script = new byte[300 * 1024];
        new java.util.Random(13).nextBytes(script);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();

        // the command ends only at end of input: the input was closed after the last byte
        ExecResult r = transport(false).exec(SshTarget.of("lab1"), "cat; echo done >&2", T, false, script, out, err);

        assertThat(r.exitStatus()).isZero();
        assertThat(out.toByteArray()).isEqualTo(script);
        assertThat(err.toString()).isEqualTo("done\n");
    }

    @Test
    void twentyParallelCommandsShareOneSessionDespiteOpenSshsMaxSessions() throws Exception {
        trust(local);
        SshTransport t = transport(false);
        List<CompletableFuture<ExecResult>> runs = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        toClose.add(pool::shutdownNow);
        for (int i = 0; i < 20; i++) {
            String cmd = "sleep 0.3; echo " + i;
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return t.exec(SshTarget.of("lab1"), cmd, T);
                } catch (SshFailure f) {
                    throw new java.util.concurrent.CompletionException(f);
                }
            }, pool));
        }
        for (int i = 0; i < 20; i++) {
            assertThat(runs.get(i).get(30, TimeUnit.SECONDS).stdoutText()).isEqualTo(i + "\n");
        }
        assertThat(t.openSessions()).isEqualTo(1);
    }

    @Test
    void hashedKnownHostsAsOpenSshWritesThemAreHonoured() throws Exception {
        trust(local);
        Proc.ok(Proc.require("ssh-keygen", "openssh-client"), "-H", "-f", home.resolve(".ssh/known_hosts").toString());
        assertThat(Files.readString(home.resolve(".ssh/known_hosts"))).startsWith("|1|");

        assertThat(transport(false).exec(SshTarget.of("lab1"), "true", T).exitStatus()).isZero();
    }

    @Test
    void anUnknownHostKeyStopsBeforeTheCommandRuns() {
        Path marker = work.resolve("unknown-marker");

        assertThatThrownBy(() -> transport(false).exec(SshTarget.of("lab1"), "touch " + marker, T))
                .isInstanceOfSatisfying(SshFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(SshFailure.Kind.UNKNOWN_HOST_KEY);
                    assertThat(f.getMessage()).contains("127.0.0.1 port " + local.port).contains("SHA256:")
                            .contains("--accept-new-host-keys");
                });
        assertThat(marker).doesNotExist();
    }

    @Test
    void acceptNewWritesAnEntryOpenSshItselfAccepts() throws Exception {
        // whatever /etc/ssh/ssh_config says (Debian's: HashKnownHosts yes, the next test)
        Files.writeString(home.resolve(".ssh/config"), "Host *\n    HashKnownHosts no\n", java.nio.file.StandardOpenOption.APPEND);
        transport(true).exec(SshTarget.of("lab1"), "true", T);

        Path knownHosts = home.resolve(".ssh/known_hosts");
        assertThat(Files.readString(knownHosts)).isEqualTo(local.knownHostsLine() + "\n");
        assertAcceptedByOpenSsh(knownHosts);
    }

    /** HashKnownHosts yes, as Debian's /etc/ssh/ssh_config sets it: the name hashed, and ssh finds and accepts the entry. */
    @Test
    void acceptNewWithHashKnownHostsWritesAHashedEntryOpenSshAccepts() throws Exception {
        Files.writeString(home.resolve(".ssh/config"), "Host *\n    HashKnownHosts yes\n", java.nio.file.StandardOpenOption.APPEND);
        transport(true).exec(SshTarget.of("lab1"), "true", T);

        Path knownHosts = home.resolve(".ssh/known_hosts");
        String line = local.knownHostsLine();
        assertThat(Files.readString(knownHosts)).startsWith("|1|").doesNotContain("127.0.0.1")
                .endsWith(line.substring(line.indexOf(' ')) + "\n");
        assertThat(Proc.ok(Proc.require("ssh-keygen", "openssh-client"), "-F", "[127.0.0.1]:" + local.port, "-f", knownHosts.toString())
                .out()).contains("found: line 1");
        assertAcceptedByOpenSsh(knownHosts);
    }

    private void assertAcceptedByOpenSsh(Path knownHosts) {
        Proc.ok(Proc.require("ssh", "openssh-client"), "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                "-i", home.resolve(".ssh/lab_key").toString(), "-p", Integer.toString(local.port), "root@127.0.0.1", "true");
    }

    @Test
    void aChangedHostKeyStopsBeforeTheCommandRunsEvenWhenAcceptingNewKeys() throws Exception {
        Path other = SshKey.generate(work.resolve("other_host_key")).privateKey();
        String otherKey = Files.readString(Path.of(other + ".pub")).strip();
        Files.writeString(home.resolve(".ssh/known_hosts"),
                "[127.0.0.1]:" + local.port + " " + otherKey.substring(0, otherKey.lastIndexOf(' ')) + "\n");
        String oldPrint = SshKey.fingerprint(Path.of(other + ".pub"));
        String newPrint = SshKey.fingerprint(local.hostKeyPub);
        Path marker = work.resolve("changed-marker");

        assertThatThrownBy(() -> transport(true).exec(SshTarget.of("lab1"), "touch " + marker, T))
                .isInstanceOfSatisfying(SshFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(SshFailure.Kind.CHANGED_HOST_KEY);
                    assertThat(f.getMessage()).contains("127.0.0.1").contains(oldPrint).contains(newPrint);
                });
        assertThat(marker).doesNotExist();
    }

    @Test
    void aKeyTheServerDoesNotAcceptIsAnAuthFailure() throws Exception {
        trust(local);
        Path wrong = home.resolve(".ssh/wrong_key");
        SshKey.generate(wrong);
        Files.writeString(home.resolve(".ssh/config"), """
                Host lab*
                    HostName 127.0.0.1
                    Port %d
                    User root
                    IdentityFile ~/.ssh/wrong_key
                """.formatted(local.port));

        assertThatThrownBy(() -> transport(false).exec(SshTarget.of("lab1"), "true", T))
                .isInstanceOfSatisfying(SshFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(SshFailure.Kind.AUTH);
                    assertThat(f.getMessage()).contains("root@127.0.0.1:" + local.port).contains("wrong_key");
                });
    }

    @Test
    void aRefusedConnectionFailsFast() throws Exception {
        int port = Proc.freePort();
        long start = System.nanoTime();

        assertThatThrownBy(() -> transport(false).exec(new SshTarget("lab1", null, port, List.of()), "true", T))
                .isInstanceOfSatisfying(SshFailure.class, f -> assertThat(f.kind()).isEqualTo(SshFailure.Kind.CONNECT));
        assertThat(since(start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aPeerThatAcceptsButNeverSpeaksSshTimesOutWithinTheLoginBounds() throws Exception {
        try (SilentPeer silent = new SilentPeer()) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> transport(false, Duration.ofSeconds(2), Duration.ofSeconds(2))
                    .exec(new SshTarget("lab1", null, silent.port(), List.of()), "true", T))
                    .isInstanceOfSatisfying(SshFailure.class, f -> assertThat(f.kind()).isEqualTo(SshFailure.Kind.TIMEOUT));
            assertThat(since(start)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(5));
        }
    }

    @Test
    void anAddressNobodyAnswersForTimesOutWithinTheConnectTimeout() {
        // On a's link but owned by no one: the SYN waits for an ARP answer that never comes.
        SshTarget nobody = new SshTarget("10.214.1.99", "root", 22, List.of());
        long start = System.nanoTime();

        assertThatThrownBy(() -> transport(false, Duration.ofSeconds(1), Duration.ofSeconds(1)).exec(nobody, "true", T))
                .isInstanceOfSatisfying(SshFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(SshFailure.Kind.TIMEOUT);
                    assertThat(f.getMessage()).contains("10.214.1.99").contains("1 s");
                });
        assertThat(since(start)).isBetween(Duration.ofMillis(900), Duration.ofMillis(2500));
    }

    @Test
    void aCommandOverItsTimeoutIsStoppedAndTheSessionStaysUsable() throws Exception {
        trust(local);
        SshTransport t = transport(false);
        long start = System.nanoTime();

        assertThatThrownBy(() -> t.exec(SshTarget.of("lab1"), "sleep 30", Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(SshFailure.class, f -> assertThat(f.kind()).isEqualTo(SshFailure.Kind.TIMEOUT));
        assertThat(since(start)).isLessThan(Duration.ofSeconds(5));
        assertThat(t.exec(SshTarget.of("lab1"), "echo still", T).stdoutText()).isEqualTo("still\n");
    }

    @Test
    void sshdKilledDuringACommandIsADisconnectNotAHang() throws Exception {
        OpenSshd doomed = OpenSshd.onLoopback(work.resolve("doomed"), Path.of(key + ".pub"));
        try {
            trust(doomed);
            SshTransport t = transport(false);
            SshTarget target = new SshTarget("lab1", null, doomed.port, List.of());
            t.login(target, T);
            CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return t.exec(target, "sleep 30", Duration.ofSeconds(60));
                } catch (SshFailure f) {
                    throw new java.util.concurrent.CompletionException(f);
                }
            });
            Thread.sleep(1000);
            long start = System.nanoTime();
            doomed.kill();

            assertThatThrownBy(() -> running.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SshFailure.class)
                    .satisfies(e -> assertThat(((SshFailure) e.getCause()).kind()).isEqualTo(SshFailure.Kind.DISCONNECTED));
            assertThat(since(start)).isLessThan(Duration.ofSeconds(5));
        } finally {
            doomed.kill();
        }
    }

    @Test
    void twoHopsInOpenSshOrderReachTheInnermostNamespace() throws Exception {
        trust(chain.toArray(OpenSshd[]::new));

        ExecResult r = transport(false).exec(new SshTarget(hopC.address(), "root", null,
                List.of("root@" + hopA.address(), "root@" + hopB.address())), "ip -4 -o addr show", T);

        assertThat(r.exitStatus()).isZero();
        assertThat(r.stdoutText()).contains("10.214.3.2").doesNotContain("10.214.1.").doesNotContain("10.214.2.2");
    }

    @Test
    void theSameHopsReversedCannotConnect() throws Exception {
        trust(chain.toArray(OpenSshd[]::new));
        long start = System.nanoTime();

        assertThatThrownBy(() -> transport(false, Duration.ofSeconds(3), Duration.ofSeconds(3)).exec(
                new SshTarget(hopC.address(), "root", null, List.of("root@" + hopB.address(), "root@" + hopA.address())),
                "true", T))
                .isInstanceOfSatisfying(SshFailure.class,
                        f -> assertThat(f.kind()).isIn(SshFailure.Kind.CONNECT, SshFailure.Kind.TIMEOUT));
        assertThat(since(start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void jumpHostKeysAreCheckedUnderTheirOwnNames() throws Exception {
        trust(chain.get(0), chain.get(2)); // b, the middle hop, is not known

        assertThatThrownBy(() -> transport(false).exec(new SshTarget(hopC.address(), "root", null,
                List.of("root@" + hopA.address(), "root@" + hopB.address())), "true", T))
                .isInstanceOfSatisfying(SshFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(SshFailure.Kind.UNKNOWN_HOST_KEY);
                    assertThat(f.getMessage()).contains(hopB.address() + " port 22");
                });
    }

    @Test
    void proxyJumpFromTheConfigChainsTheSameWay() throws Exception {
        trust(chain.toArray(OpenSshd[]::new));
        Files.writeString(home.resolve(".ssh/config"), """
                Host inner
                    HostName %s
                    ProxyJump outer,middle
                Host outer
                    HostName %s
                Host middle
                    HostName %s
                Host *
                    User root
                    IdentityFile ~/.ssh/lab_key
                """.formatted(hopC.address(), hopA.address(), hopB.address()));

        ExecResult r = transport(false).exec(SshTarget.of("inner"), "ip -4 -o addr show", T);

        assertThat(r.stdoutText()).contains("10.214.3.2");
    }

    @Test
    void theFirstJumpHostIsReachedAsItsOwnProxyJumpSaysNeverDirectly() throws Exception {
        trust(chain.toArray(OpenSshd[]::new));
        // inner -> middle, and middle itself only through outer: as OpenSSH's nested -J, the chain is outer, middle, inner
        Files.writeString(home.resolve(".ssh/config"), """
                Host inner
                    HostName %s
                    ProxyJump middle
                Host middle
                    HostName %s
                    ProxyJump outer
                Host outer
                    HostName %s
                Host *
                    User root
                    IdentityFile ~/.ssh/lab_key
                """.formatted(hopC.address(), hopB.address(), hopA.address()));

        ExecResult r = transport(false, Duration.ofSeconds(3), Duration.ofSeconds(5)).exec(SshTarget.of("inner"),
                "ip -4 -o addr show", T);

        assertThat(r.stdoutText()).contains("10.214.3.2");
    }

    @Test
    void jumpHostsThatNameEachOtherAreAConfigErrorNotALoop() throws Exception {
        Files.writeString(home.resolve(".ssh/config"), "Host a\n    ProxyJump b\nHost b\n    ProxyJump a\n");

        assertThatThrownBy(() -> transport(false).exec(SshTarget.of("a"), "true", T))
                .isInstanceOfSatisfying(SshFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(SshFailure.Kind.CONFIG);
                    assertThat(f.getMessage()).contains("grows past 16 hops");
                });
    }

    private static String readAll(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    private static String firstLine(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII));
            return in.readLine();
        }
    }

    @Test
    void aLocalForwardReachesAServiceInsideTheInnermostNamespaceThroughBothHops() throws Exception {
        String socat = Proc.require("socat", "socat");
        trust(chain.toArray(OpenSshd[]::new));
        // Listens on c's own address only: reachable from c, from nowhere else.
        Process service = new ProcessBuilder(Proc.require("ip", "iproute2"), "netns", "exec", hopC.ns(), socat,
                "TCP-LISTEN:7777,bind=" + hopC.address() + ",reuseaddr,fork", "SYSTEM:echo from-c")
                .redirectErrorStream(true).redirectOutput(work.resolve("socat.log").toFile()).start();
        try {
            SshTransport t = transport(false);
            SshTarget c = new SshTarget(hopC.address(), "root", null, List.of("root@" + hopA.address(), "root@" + hopB.address()));
            assertThat(t.exec(c, "true", T).exitStatus()).isZero();

            try (Forward toService = t.forward(c, hopC.address(), 7777); Forward toSshd = t.forward(c, hopC.address(), 22)) {
                assertThat(toService.localPort()).isPositive().isNotEqualTo(toSshd.localPort());
                String got = "";
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!got.equals("from-c\n") && System.nanoTime() < until) { // until socat listens
                    got = readAll(toService.localPort());
                    if (!got.equals("from-c\n")) {
                        Thread.sleep(50);
                    }
                }
                assertThat(got).isEqualTo("from-c\n");
                assertThat(readAll(toService.localPort())).as("each connection is forwarded").isEqualTo("from-c\n");
                assertThat(firstLine(toSshd.localPort())).startsWith("SSH-2.0-OpenSSH");
                assertThat(t.openSessions()).as("the forwards ride on the command's session").isEqualTo(1);
            }
        } finally {
            Proc.stop(service);
        }
    }

    /**
     * A forward serves this user's sockets only: another local user (nobody, through setpriv) who
     * finds the port gets a connection that closes at once, without the server's banner, while the
     * same connection of this user still reaches sshd through it.
     */
    @Test
    void aForwardServesThisUserOnlyNotAnotherLocalUser() throws Exception {
        assertThat(System.getProperty("user.name")).as("connecting as another user needs root (.ci/run runs as root)")
                .isEqualTo("root");
        trust(local);
        SshTransport t = transport(false);
        try (Forward f = t.forward(SshTarget.of("lab1"), "127.0.0.1", local.port)) {
            // "connected" proves the connect worked (as that user): what follows is what the forward gave
            String connect = "exec 3<>/dev/tcp/127.0.0.1/" + f.localPort() + " && echo connected && timeout 5 head -c 7 <&3";
            Proc.Outcome other = Proc.run(Duration.ofSeconds(20), List.of(Proc.require("setpriv", "util-linux"), "--reuid=65534",
                    "--regid=65534", "--clear-groups", "bash", "-c", connect));
            assertThat(other.out()).as("what another user read: " + other).isEqualTo("connected\n");
            Proc.Outcome mine = Proc.run(Duration.ofSeconds(20), List.of("bash", "-c", connect));
            assertThat(mine.out()).isEqualTo("connected\nSSH-2.0");
            assertThat(firstLine(f.localPort())).startsWith("SSH-2.0-OpenSSH");
        }
    }

    @Test
    void aClosedForwardNoLongerListens() throws Exception {
        trust(local);
        SshTransport t = transport(false);
        Forward f = t.forward(SshTarget.of("lab1"), "127.0.0.1", local.port);
        int port = f.localPort();
        assertThat(firstLine(port)).startsWith("SSH-2.0-OpenSSH");

        f.close();

        assertThat(f.isOpen()).isFalse();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close()).isInstanceOf(IOException.class);
        assertThat(t.exec(SshTarget.of("lab1"), "echo still", T).stdoutText()).isEqualTo("still\n");
    }
}
