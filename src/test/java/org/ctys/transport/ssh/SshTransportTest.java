package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SilentPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SshTransportTest {

    static {
        SshTransport.quietMina(); // before the first key is generated, which already logs
    }

    private static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path home;

    private KeyPair clientKey;
    private MinaServer server;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        clientKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        MinaServer.writeIdentity(clientKey, home.resolve(".ssh/id_ed25519"));
        server = new MinaServer(clientKey.getPublic());
        toClose.add(server);
        Files.writeString(home.resolve(".ssh/config"), """
                Host box
                    HostName 127.0.0.1
                    Port %d
                    User tester
                """.formatted(server.port()));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private SshTransport transport(boolean acceptNew) {
        SshTransport t = new SshTransport(new SshOptions(null, home, acceptNew, Duration.ofSeconds(5), Duration.ofSeconds(5)));
        toClose.add(t);
        return t;
    }

    private void trust(MinaServer s) throws Exception {
        Files.writeString(home.resolve(".ssh/known_hosts"), s.knownHostsLine() + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    @Test
    void returnsStdoutAndStderrApartByteExactWithTheExitStatus() throws Exception {
        trust(server);
        ByteArrayOutputStream bin = new ByteArrayOutputStream();
        for (int b = 0; b < 256; b++) {
            bin.write(b);
        }
        bin.writeBytes("grüße → 日本 ✓\n".getBytes(StandardCharsets.UTF_8));
        byte[] err = "only on stderr: ñ\n".getBytes(StandardCharsets.UTF_8);
        server.replies(c -> new MinaServer.Reply(bin.toByteArray(), err, 3));
        String command = "printf '%s\\n' \"a b\" 'ü' $HOME; exit 3";

        ExecResult r = transport(false).exec(SshTarget.of("box"), command, T);

        assertThat(server.commands).containsExactly(command);
        assertThat(server.users).contains("tester");
        assertThat(r.stdout()).isEqualTo(bin.toByteArray());
        assertThat(r.stderr()).isEqualTo(err);
        assertThat(r.exitStatus()).isEqualTo(3);
        assertThat(r.exitSignal()).isNull();
        assertThat(r.elapsed()).isPositive();
    }

    @Test
    void inputReachesTheCommandsStandardInputWhole() throws Exception {
        trust(server);
        server.replies(c -> MinaServer.Reply.echoInput());
        byte[] script = new byte[300 * 1024];
        new java.util.Random(13).nextBytes(script);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        ExecResult r = transport(false).exec(SshTarget.of("box"), "ctys-bootd job add", T, false, script, out, err);

        assertThat(r.exitStatus()).isZero();
        assertThat(server.commands).containsExactly("ctys-bootd job add");
        assertThat(server.inputs).hasSize(1);
        assertThat(server.inputs.get(0)).isEqualTo(script);
        assertThat(out.toByteArray()).isEqualTo(script);
    }

    @Test
    void withoutInputTheCommandReadsEndOfInputAtOnce() throws Exception {
        trust(server);
        server.replies(c -> MinaServer.Reply.echoInput());

        ExecResult r = transport(false).exec(SshTarget.of("box"), "cat", T);

        assertThat(r.exitStatus()).isZero();
        assertThat(server.inputs).hasSize(1);
        assertThat(server.inputs.get(0)).isEmpty();
    }

    @Test
    void carriesOneMebibyteOfBinaryOutput() throws Exception {
        trust(server);
        byte[] big = new byte[1 << 20];
        new Random(42).nextBytes(big);
        server.replies(c -> new MinaServer.Reply(big, new byte[] {0, (byte) 0xff}, 0));

        ExecResult r = transport(false).exec(SshTarget.of("box"), "cat big", T);

        assertThat(r.stdout()).isEqualTo(big);
        assertThat(r.stderr()).containsExactly(0, 0xff);
        assertThat(r.exitStatus()).isZero();
    }

    /** Input the command never reads fills the server's window: the write waits within the command's bound, not MINA's 30 s. */
    @Test
    void inputTheCommandNeverReadsEndsAtTheCommandsBound() throws Exception {
        trust(server);
        server.replies(c -> c.equals("unread") ? MinaServer.Reply.hang() : MinaServer.Reply.text("ok", "", 0));
        SshTransport t = transport(false);
        byte[] input = new byte[8 << 20];

        long start = System.nanoTime();
        assertThatThrownBy(() -> t.exec(SshTarget.of("box"), "unread", Duration.ofSeconds(2), false, input,
                java.io.OutputStream.nullOutputStream(), java.io.OutputStream.nullOutputStream()))
                .isInstanceOfSatisfying(SshFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(SshFailure.Kind.TIMEOUT);
                    assertThat(f.getMessage()).contains("the server took no more of the command's input");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the 2 s bound, not twice it").isLessThan(Duration.ofMillis(3900));
        assertThat(t.exec(SshTarget.of("box"), "after", T).stdoutText()).isEqualTo("ok");
    }

    @Test
    void aCommandThatNeverEndsTimesOutAndTheSessionStaysUsable() throws Exception {
        trust(server);
        server.replies(c -> c.equals("forever") ? MinaServer.Reply.hang() : MinaServer.Reply.text("ok", "", 0));
        SshTransport t = transport(false);

        long start = System.nanoTime();
        assertThatThrownBy(() -> t.exec(SshTarget.of("box"), "forever", Duration.ofMillis(700)))
                .isInstanceOfSatisfying(SshFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(SshFailure.Kind.TIMEOUT);
                    assertThat(f.getMessage()).contains("127.0.0.1").contains("did not finish within 700 ms");
                    assertThat(f.commandSent()).as("the command ran: it may have done its work").isTrue();
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        // The command is told to stop, not merely abandoned (OpenSSH honours this for non-root users).
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.signals.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(server.signals).containsExactly("TERM");

        assertThat(t.exec(SshTarget.of("box"), "after", T).stdoutText()).isEqualTo("ok");
        assertThat(server.sessions.get()).isEqualTo(1);
    }

    @Test
    void twentyParallelExecsShareOneSession() throws Exception {
        trust(server);
        server.replies(c -> MinaServer.Reply.text("out " + c, "err " + c, c.length()));
        SshTransport t = transport(false);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<ExecResult>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String cmd = "job-" + "x".repeat(i);
                Callable<ExecResult> call = () -> t.exec(SshTarget.of("box"), cmd, T);
                results.add(pool.submit(call));
            }
            for (int i = 0; i < 20; i++) {
                String cmd = "job-" + "x".repeat(i);
                ExecResult r = results.get(i).get();
                assertThat(r.stdoutText()).isEqualTo("out " + cmd);
                assertThat(r.stderrText()).isEqualTo("err " + cmd);
                assertThat(r.exitStatus()).isEqualTo(cmd.length());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.sessions.get()).isEqualTo(1);
        assertThat(t.openSessions()).isEqualTo(1);
    }

    @Test
    void aSessionClosesWithTheLastReleaseOfTheTargetsThatShareIt() throws Exception {
        trust(server);
        // box and other are the same server the same way: one session, counted across both names
        Files.writeString(home.resolve(".ssh/config"), """
                Host other
                    HostName 127.0.0.1
                    Port %d
                    User tester
                """.formatted(server.port()), java.nio.file.StandardOpenOption.APPEND);
        SshTransport t = transport(false);
        SshTarget box = SshTarget.of("box");
        SshTarget other = SshTarget.of("other");
        t.hold(box);
        t.hold(other);
        t.hold(box);
        t.exec(box, "one", T);
        t.exec(other, "two", T);
        assertThat(server.sessions.get()).isEqualTo(1);

        t.release(box);
        t.release(other);
        assertThat(t.openSessions()).as("one use of box is still held").isEqualTo(1);
        t.release(box);
        assertThat(t.openSessions()).isZero();
        assertThat(Proc.await(() -> server.closed.get() == 1, T)).as("the server saw it end").isTrue();

        // a use nobody held logs in again and keeps its session; releases beyond the holds change nothing
        assertThat(t.exec(box, "three", T).exitStatus()).isZero();
        t.release(box);
        assertThat(t.openSessions()).isEqualTo(1);
        assertThat(server.sessions.get()).isEqualTo(2);
    }

    @Test
    void aClosedSessionIsReplacedOnTheNextCall() throws Exception {
        trust(server);
        SshTransport t = transport(false);
        t.exec(SshTarget.of("box"), "one", T);
        server.closeSessions();
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (t.openSessions() > 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }

        assertThat(t.exec(SshTarget.of("box"), "two", T).exitStatus()).isZero();
        assertThat(server.sessions.get()).isEqualTo(2);
    }

    @Test
    void anUnknownHostKeyIsRefusedBeforeAnyCommandNamingHostPortAndFingerprint() {
        SshTransport t = transport(false);
        String print = KeyUtils.getFingerPrint(server.hostKey.getPublic());

        assertThatThrownBy(() -> t.exec(SshTarget.of("box"), "touch marker", T))
                .isInstanceOfSatisfying(SshFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(SshFailure.Kind.UNKNOWN_HOST_KEY);
                    assertThat(f.getMessage()).contains("127.0.0.1").contains("port " + server.port())
                            .contains(print).startsWith("unknown host key").contains("--accept-new-host-keys")
                            .contains("ssh-keyscan").doesNotContain("\n");
                });
        assertThat(print).startsWith("SHA256:");
        assertThat(server.commands).isEmpty();
        assertThat(home.resolve(".ssh/known_hosts")).doesNotExist();
    }

    @Test
    void acceptNewAppendsTheKeyLikeOpenSsh() throws Exception {
        // whatever /etc/ssh/ssh_config says (Debian's: HashKnownHosts yes, HostKeyCheckTest writes hashed names)
        Files.writeString(home.resolve(".ssh/config"), "    HashKnownHosts no\n", java.nio.file.StandardOpenOption.APPEND);
        transport(true).exec(SshTarget.of("box"), "first", T);

        assertThat(Files.readAllLines(home.resolve(".ssh/known_hosts"))).containsExactly(server.knownHostsLine());
        // Now known: a transport that accepts nothing new gets in.
        assertThat(transport(false).exec(SshTarget.of("box"), "second", T).exitStatus()).isZero();
        assertThat(Files.readAllLines(home.resolve(".ssh/known_hosts"))).hasSize(1);
    }

    @Test
    void aChangedKeyIsRefusedEvenWhenAcceptingNewKeys() throws Exception {
        KeyPair old = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        String line = "[127.0.0.1]:" + server.port() + " " + PublicKeyEntry.toString(old.getPublic()) + "\n";
        Files.writeString(home.resolve(".ssh/known_hosts"), line);

        assertThatThrownBy(() -> transport(true).exec(SshTarget.of("box"), "touch marker", T))
                .isInstanceOfSatisfying(SshFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(SshFailure.Kind.CHANGED_HOST_KEY);
                    assertThat(f.getMessage()).contains("127.0.0.1")
                            .contains(KeyUtils.getFingerPrint(old.getPublic()))
                            .contains(KeyUtils.getFingerPrint(server.hostKey.getPublic()));
                });
        assertThat(server.commands).isEmpty();
        assertThat(Files.readString(home.resolve(".ssh/known_hosts"))).isEqualTo(line);
    }

    @Test
    void hashedKnownHostsEntriesMatch() throws Exception {
        byte[] salt = new byte[20];
        new Random(7).nextBytes(salt);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(salt, "HmacSHA1"));
        byte[] hash = mac.doFinal(("[127.0.0.1]:" + server.port()).getBytes(StandardCharsets.UTF_8));
        Base64.Encoder b64 = Base64.getEncoder();
        Files.writeString(home.resolve(".ssh/known_hosts"), "|1|" + b64.encodeToString(salt) + "|" + b64.encodeToString(hash)
                + " " + PublicKeyEntry.toString(server.hostKey.getPublic()) + "\n");

        assertThat(transport(false).exec(SshTarget.of("box"), "x", T).exitStatus()).isZero();
    }

    @Test
    void explicitUserAndPortWinOverTheConfig() throws Exception {
        trust(server);
        Files.writeString(home.resolve(".ssh/config"), """
                Host box
                    HostName 127.0.0.1
                    Port 1
                    User tester
                """);

        transport(false).exec(new SshTarget("box", "explicit", server.port(), List.of()), "x", T);

        assertThat(server.users).containsOnly("explicit");
    }

    /** The server refused the command's channel: the command never left, and the failure says so. */
    @Test
    void aRefusedChannelDidNotRunItsCommand() throws Exception {
        trust(server);
        server.refuseChannels();
        failsWithoutSending(SshFailure.Kind.CONNECT, "refused to run a command", "refused with the channel: the command never left");
    }

    /** An exec of "x" on box fails as {@code kind}, naming {@code text}, and the command certainly never left. */
    private void failsWithoutSending(SshFailure.Kind kind, String text, String why) {
        assertThatThrownBy(() -> transport(false).exec(SshTarget.of("box"), "x", T))
                .isInstanceOfSatisfying(SshFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(kind);
                    assertThat(f.getMessage()).contains(text);
                    assertThat(f.commandSent()).as(why).isFalse();
                });
        assertThat(server.commands).isEmpty();
    }

    @Test
    void aKeyTheServerDoesNotKnowFailsAuth() throws Exception {
        trust(server);
        MinaServer.writeIdentity(KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256), home.resolve(".ssh/id_ed25519"));

        failsWithoutSending(SshFailure.Kind.AUTH, "tester@127.0.0.1", "failed at the login: the command never left");
    }

    @Test
    void aRefusedConnectionIsConnectAndFast() throws Exception {
        int port = Proc.freePort();
        long start = System.nanoTime();

        assertThatThrownBy(() -> transport(false).exec(new SshTarget("127.0.0.1", null, port, List.of()), "x", T))
                .isInstanceOfSatisfying(SshFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(SshFailure.Kind.CONNECT);
                    assertThat(f.getMessage()).contains("127.0.0.1:" + port).containsIgnoringCase("refused");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aServerThatNeverSpeaksSshTimesOutWithinTheLoginBounds() throws Exception {
        try (SilentPeer silent = new SilentPeer()) {
            SshTransport t = new SshTransport(new SshOptions(null, home, false, Duration.ofSeconds(1), Duration.ofSeconds(1)));
            toClose.add(t);
            long start = System.nanoTime();

            assertThatThrownBy(() -> t.exec(new SshTarget("127.0.0.1", null, silent.port(), List.of()), "x", T))
                    .isInstanceOfSatisfying(SshFailure.class, f -> assertThat(f.kind()).isEqualTo(SshFailure.Kind.TIMEOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }

    /**
     * A bounded login (a poll of a booting machine) that finds another login to the same host under way waits for it
     * only within its own bound, not for that login's bounds (here 5 s against a server that never speaks).
     */
    @Test
    void aBoundedLoginWaitsForAnotherLoginToTheSameHostOnlyWithinItsBound() throws Exception {
        try (SilentPeer silent = new SilentPeer()) {
            SshTransport t = transport(false);
            SshTarget target = new SshTarget("127.0.0.1", null, silent.port(), List.of());
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                Future<?> first = other.submit(() -> t.exec(target, "x", Duration.ofSeconds(30)));
                // the first login holds the host's lock once it has connected, waiting for the banner
                assertThat(Proc.await(() -> silent.accepted() > 0, Duration.ofSeconds(10))).isTrue();
                long start = System.nanoTime();

                assertThatThrownBy(() -> t.login(target, Duration.ofSeconds(1)))
                        .isInstanceOfSatisfying(SshFailure.class, f -> {
                            assertThat(f.kind()).isEqualTo(SshFailure.Kind.TIMEOUT);
                            assertThat(f.getMessage()).contains("within 1 s").contains("another login to it was still under way");
                        });
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
                first.cancel(true);
            } finally {
                other.shutdownNow();
            }
        }
    }

    @Test
    void loginConnectsWithoutRunningAnything() throws Exception {
        trust(server);
        SshTransport t = transport(false);

        t.login(SshTarget.of("box"), T);

        assertThat(server.commands).isEmpty();
        assertThat(t.openSessions()).isEqualTo(1);
    }

    @Test
    void jumpsAreDialledInOpenSshOrderFirstHopFirst() throws Exception {
        MinaServer a = new MinaServer(clientKey.getPublic());
        MinaServer b = new MinaServer(clientKey.getPublic());
        toClose.add(a);
        toClose.add(b);
        trust(server);
        trust(a);
        trust(b);
        server.replies(c -> MinaServer.Reply.text("on target", "", 0));

        ExecResult r = transport(false).exec(new SshTarget("box", null, null,
                List.of("hopper@127.0.0.1:" + a.port(), "127.0.0.1:" + b.port())), "where", T);

        assertThat(r.stdoutText()).isEqualTo("on target");
        // a was dialled directly and forwarded to b; b forwarded to the target.
        assertThat(a.forwards).containsExactly("127.0.0.1:" + b.port());
        assertThat(b.forwards).containsExactly("127.0.0.1:" + server.port());
        assertThat(a.users).containsOnly("hopper");
        assertThat(server.commands).containsExactly("where");
        assertThat(a.commands).isEmpty();
        assertThat(b.commands).isEmpty();
    }

    @Test
    void proxyJumpFromTheConfigIsUsedWhenNoJumpsAreGiven() throws Exception {
        MinaServer a = new MinaServer(clientKey.getPublic());
        toClose.add(a);
        trust(server);
        trust(a);
        Files.writeString(home.resolve(".ssh/config"), """
                Host box
                    HostName 127.0.0.1
                    Port %d
                    ProxyJump jumper
                Host jumper
                    HostName 127.0.0.1
                    Port %d
                """.formatted(server.port(), a.port()));

        transport(false).exec(SshTarget.of("box"), "x", T);

        assertThat(a.forwards).containsExactly("127.0.0.1:" + server.port());
        assertThat(server.commands).containsExactly("x");
    }

    @Test
    void aJumpHostsKeyIsCheckedUnderItsOwnName() throws Exception {
        MinaServer a = new MinaServer(clientKey.getPublic());
        toClose.add(a);
        trust(server);

        assertThatThrownBy(() -> transport(false).exec(new SshTarget("box", null, null, List.of("127.0.0.1:" + a.port())), "x", T))
                .isInstanceOfSatisfying(SshFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(SshFailure.Kind.UNKNOWN_HOST_KEY);
                    assertThat(f.getMessage()).contains("port " + a.port())
                            .contains(KeyUtils.getFingerPrint(a.hostKey.getPublic()));
                });
        assertThat(server.commands).isEmpty();
    }

    private final List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();

    private SshTransport warningTransport() {
        SshTransport t = new SshTransport(new SshOptions(null, home, false, Duration.ofSeconds(5), Duration.ofSeconds(5),
                null, false, warnings::add));
        toClose.add(t);
        return t;
    }

    private void mode(Path file, String mode) throws Exception {
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
    }

    @Test
    void aPrivateKeyOthersCanReadIsIgnoredAsOpenSshIgnoresItAndTheLoginFailsNamingWhy() throws Exception {
        trust(server);
        Path id = home.resolve(".ssh/id_ed25519");
        mode(id, "rw-r--r--");

        assertThatThrownBy(() -> warningTransport().exec(SshTarget.of("box"), "x", T))
                .isInstanceOfSatisfying(SshFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(SshFailure.Kind.AUTH);
                    assertThat(f.getMessage()).contains("UNPROTECTED PRIVATE KEY FILE")
                            .contains("permissions 0644 for '" + id + "' are too open");
                });
        assertThat(warnings).singleElement().asString().startsWith("UNPROTECTED PRIVATE KEY FILE: permissions 0644 for '"
                + id + "' are too open").contains("ignored");
        assertThat(server.commands).isEmpty();
    }

    @Test
    void anotherKeyStillLogsInAndTheIgnoredOneIsWarnedAboutOncePerRun() throws Exception {
        trust(server);
        Path open = home.resolve(".ssh/open_key");
        MinaServer.writeIdentity(KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256), open);
        mode(open, "rw----r--");
        Files.writeString(home.resolve(".ssh/config"), """
                Host box*
                    HostName 127.0.0.1
                    Port %d
                    User tester
                    IdentityFile ~/.ssh/open_key
                    IdentityFile ~/.ssh/id_ed25519
                """.formatted(server.port()));
        SshTransport t = warningTransport();

        assertThat(t.exec(SshTarget.of("box"), "x", T).exitStatus()).isZero();
        assertThat(t.exec(new SshTarget("box2", "other", null, List.of()), "x", T).exitStatus()).isZero();

        assertThat(warnings).singleElement().asString().contains("permissions 0604 for '" + open + "'");
    }

    @Test
    void aProxyCommandIsWhatCarriesTheSessionNeverADirectConnection() throws Exception {
        trust(server);
        try (java.net.ServerSocket watched = new java.net.ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
            watched.setSoTimeout(300);
            // The config's Port is the watched socket; only the proxy knows the server's real port.
            Files.writeString(home.resolve(".ssh/config"), """
                    Host box
                        HostName 127.0.0.1
                        Port %d
                        User tester
                        HostKeyAlias [127.0.0.1]:%d
                        ProxyCommand bash -c 'exec 3<>/dev/tcp/%%h/%d; cat <&3 & cat >&3'
                    """.formatted(watched.getLocalPort(), server.port(), server.port()));

            assertThat(warningTransport().exec(SshTarget.of("box"), "through", T).exitStatus()).isZero();

            assertThat(server.commands).containsExactly("through");
            assertThatThrownBy(watched::accept).as("nothing connected directly").isInstanceOf(java.net.SocketTimeoutException.class);
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void releasingASessionOverAProxyCommandDoesNotWaitForItButClosingTheTransportDoes() throws Exception {
        trust(server);
        Path pid = home.resolve("proxy.pid");
        // a proxy that outlives its input by a second and ignores SIGTERM: ending it takes about 2 s
        Files.writeString(home.resolve(".ssh/config"), """
                Host slowproxy
                    HostName 127.0.0.1
                    Port %d
                    User tester
                    ProxyCommand bash -c 'echo $$ > %s; trap "" TERM; exec 3<>/dev/tcp/%%h/%%p; cat <&3 & cat >&3; sleep 1'
                """.formatted(server.port(), pid));
        SshTransport t = transport(false);
        SshTarget target = SshTarget.of("slowproxy");
        t.hold(target);
        assertThat(t.exec(target, "through", T).exitStatus()).isZero();
        ProcessHandle proxy = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).orElseThrow();

        long start = System.nanoTime();
        t.release(target);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the release did not wait for the proxy").isLessThan(Duration.ofMillis(500));
        assertThat(t.openSessions()).isZero();
        assertThat(proxy.isAlive()).as("still being ended").isTrue();

        t.close();
        assertThat(proxy.isAlive()).as("closing the transport waited for it").isFalse();
    }

    @Test
    void aProxyCommandThatFailsIsAConnectFailureNamingItAndNothingElseIsTried() throws Exception {
        trust(server);
        Files.writeString(home.resolve(".ssh/config"), """
                Host box
                    HostName 127.0.0.1
                    Port %d
                    User tester
                    ProxyCommand sh -c 'echo no ssh here; exit 3'
                """.formatted(server.port()));

        assertThatThrownBy(() -> warningTransport().exec(SshTarget.of("box"), "x", T))
                .isInstanceOfSatisfying(SshFailure.class, f -> {
                    assertThat(f.kind()).isIn(SshFailure.Kind.CONNECT, SshFailure.Kind.DISCONNECTED);
                    assertThat(f.getMessage()).contains("ProxyCommand").contains(home.resolve(".ssh/config") + ":5")
                            .contains("exited with status 3").doesNotContain("echo no ssh here");
                });
        assertThat(server.sessions.get()).isZero();
    }
}
