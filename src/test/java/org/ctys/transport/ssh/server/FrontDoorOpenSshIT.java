package org.ctys.transport.ssh.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.security.PublicKey;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SshKey;
import org.ctys.testkit.Tmux;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The front door with OpenSSH's own client, as a user types it: {@code ssh -p PORT alice@host
 * COMMAND} with and without a pseudo terminal, a shell on a real terminal (tmux) whose window
 * changes size, refused keys and methods, refused forwarding and subsystems, and a client that stops
 * reading.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class FrontDoorOpenSshIT {
    private static final Duration STALL_LIMIT = Duration.ofSeconds(10);
    private static final Duration RUN = Duration.ofSeconds(30);

    private Path work;
    private SshKey alice;
    private SshKey stranger;
    private Path knownHosts;
    /** The door's host key as known_hosts has it, without the host. */
    private String hostKeyLine;
    private final Probe probe = new Probe();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private SshFrontDoor door;
    private Tmux tmux;

    @BeforeAll
    void start() throws Exception {
        Proc.require("ssh", "openssh-client");
        work = Files.createTempDirectory("ctys-door-it");
        alice = SshKey.generate(work.resolve("alice"));
        stranger = SshKey.generate(work.resolve("stranger"));
        Files.writeString(work.resolve("alice.keys"), alice.publicLine() + "\n");
        Predicate<PublicKey> aliceKeys = AuthorizedKeys.read(work.resolve("alice.keys"));
        Path hostKey = work.resolve("consoled_host_key");
        door = SshFrontDoor.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), hostKey,
                (user, key) -> user.equals("alice") && aliceKeys.test(key), probe,
                new SshFrontDoor.Settings(STALL_LIMIT, events::add));
        // the client trusts exactly the key the door made: every login below also checks the host key
        String pub = Files.readString(Path.of(hostKey + ".pub")).strip();
        hostKeyLine = pub.substring(0, pub.lastIndexOf(" ctys-consoled"));
        knownHosts = Files.writeString(work.resolve("known_hosts"), "[127.0.0.1]:" + door.port() + " " + hostKeyLine + "\n");
    }

    @BeforeEach
    void forget() {
        probe.seen.clear();
        events.clear();
    }

    @AfterAll
    void stop() {
        if (tmux != null) tmux.close();
        if (door != null) door.close();
        Proc.deleteTree(work);
    }

    @Test
    void anExecCommandArrivesExactlyAsTypedAndItsStatusIsSshs() throws Exception {
        Proc.Outcome o = ssh(alice, "-T", "lab07", "--since", "\"2 h\"", "it's", "a  b");
        assertThat(o.exit()).as(o.toString()).isZero();
        // ssh joins its words with single spaces and the door passes that string on untouched
        assertThat(o.out()).isEqualTo("user=alice cmd=[lab07 --since \"2 h\" it's a  b] pty=false size=80x24\n");
        assertThat(probe.seen.poll()).isEqualTo(new Probe.Seen("alice", "lab07 --since \"2 h\" it's a  b", false, 80, 24));

        Proc.Outcome seven = ssh(alice, "-T", "exit 7");
        assertThat(seven.exit()).as(seven.toString()).isEqualTo(7);
        assertThat(seven.out()).isEmpty();
        assertThat(events).anyMatch(e -> e.matches("accepted key " + alice.fingerprint().replace("+", "\\+")
                + " for alice from 127\\.0\\.0\\.1:\\d+"));
    }

    /**
     * Standard error is resumed when the client's window opens, as standard output is (MINA resumes
     * only the latter): ssh's stderr goes to a pipe read only after 2 s, so the channel's window
     * (OpenSSH's 2 MiB) fills, and the rest of the 4 MiB must wait for ssh to open it again.
     */
    @Test
    void moreOnStderrThanTheClientsWindowArrivesWhole() throws Exception {
        String ssh = sshCommand(alice, "-T", "err-bulk").stream().map(Proc::shellQuote).collect(java.util.stream.Collectors.joining(" "));
        Proc.Outcome o = run(List.of("sh", "-c", "{ " + ssh + " 2>&1 >/dev/null; echo \"status $?\" >&2; } | { sleep 2; wc -c; }"));
        assertThat(o.err().strip()).as("ssh's status; %s", o).isEqualTo("status 0");
        assertThat(o.out().strip()).as("bytes on ssh's stderr").isEqualTo(String.valueOf(Probe.BULK));
        assertThat(events).noneMatch(e -> e.startsWith("dropped"));
    }

    @Test
    void withoutAPseudoTerminalStderrIsItsOwnStreamWithOneItIsTheTerminal() throws Exception {
        Proc.Outcome plain = ssh(alice, "-T", "streams");
        assertThat(plain.exit()).as(plain.toString()).isZero();
        assertThat(plain.out()).isEqualTo("to-out\n");
        assertThat(plain.err()).isEqualTo("to-err\n");

        Proc.Outcome tty = ssh(alice, "-tt", "-q", "streams");
        assertThat(tty.exit()).as(tty.toString()).isZero();
        assertThat(tty.out()).isEqualTo("to-out\nto-err\n");
        assertThat(tty.err()).isEmpty();
        assertThat(probe.seen.poll().terminal()).isFalse();
        assertThat(probe.seen.poll().terminal()).isTrue();
    }

    @Test
    void aShellOnARealTerminalSeesItsSizeAndItsChangesAndEndsWithTheHandlersStatus() throws Exception {
        tmux = tmux == null ? new Tmux("door-it") : tmux;
        Path exit = work.resolve("shell-exit");
        Path err = work.resolve("shell-err");
        List<String> cmd = sshCommand(alice, "-t");
        // the pane stays a while after ssh has ended, so that what it showed can still be read
        tmux.open("shell", 100, 30, String.join(" ", cmd.stream().map(Proc::shellQuote).toList())
                + " 2>" + Proc.shellQuote(err.toString()) + "; echo EXIT=$? > " + Proc.shellQuote(exit.toString()) + "; sleep 60");
        Predicate<String> reported = s -> s.contains("user=alice cmd=[] pty=true size=100x30");
        assertThat(Proc.await(() -> reported.test(tmux.screen("shell")), RUN))
                .as(() -> "the shell's report; ssh said: " + read(err) + " " + read(exit) + "; the screen:\n" + tmux.screen("shell"))
                .isTrue();
        tmux.send("shell", "hello");
        tmux.await("shell", s -> s.contains("HELLO"), "HELLO echoed upper-cased");
        tmux.resize("shell", 120, 40);
        tmux.await("shell", s -> s.contains("resized 120x40 (120x40)"), "the window change");
        tmux.resize("shell", 90, 25);
        tmux.await("shell", s -> s.contains("resized 90x25 (90x25)"), "the second window change");
        assertThat(probe.resizes).contains("120x40", "90x25");
        tmux.send("shell", "q");
        assertThat(Proc.await(() -> Files.exists(exit) && exit.toFile().length() > 0, RUN))
                .as("ssh ended; the pane shows:\n" + tmux.screen("shell")).isTrue();
        assertThat(Files.readString(exit).strip()).isEqualTo("EXIT=3");
        assertThat(probe.seen.poll()).isEqualTo(new Probe.Seen("alice", "", true, 100, 30));
    }

    @Test
    void aKeyNobodyAuthorizedAndPasswordsAreRefusedAndTheRefusalLogged() throws Exception {
        Proc.Outcome o = ssh(stranger, "-T", "exit 0");
        assertThat(o.exit()).as(o.toString()).isEqualTo(255);
        assertThat(o.err()).contains("alice@127.0.0.1: Permission denied (publickey).");
        assertThat(events).anyMatch(e -> e.matches("refused key " + stranger.fingerprint().replace("+", "\\+")
                + " for alice from 127\\.0\\.0\\.1:\\d+"));
        // alice's key under another name: the key is checked for the name it is offered for
        Proc.Outcome bob = run(sshCommand(alice, "-T", "-l", "bob", "exit 0"));
        assertThat(bob.exit()).as(bob.toString()).isEqualTo(255);
        assertThat(bob.err()).contains("Permission denied (publickey).");
        // the only method offered is publickey: a client that wants a password gets nothing to answer
        Proc.Outcome password = run(sshCommand(stranger, "-T", "-o", "PreferredAuthentications=password,keyboard-interactive",
                "-o", "PubkeyAuthentication=no", "exit 0"));
        assertThat(password.exit()).as(password.toString()).isEqualTo(255);
        assertThat(password.err()).contains("Permission denied (publickey).");
        assertThat(probe.seen).isEmpty();
    }

    @Test
    void forwardingAndSubsystemsAreRefused() throws Exception {
        Proc.Outcome remote = ssh(alice, "-T", "-o", "ExitOnForwardFailure=yes", "-R", "127.0.0.1:0:127.0.0.1:22", "exit 0");
        assertThat(remote.exit()).as(remote.toString()).isEqualTo(255);
        assertThat(remote.err()).contains("remote port forwarding failed");
        Proc.Outcome sftp = ssh(alice, "-T", "-s", "sftp");
        assertThat(sftp.exit()).as(sftp.toString()).isEqualTo(255);
        assertThat(sftp.err()).contains("subsystem request failed");
        // a local forward (here ssh -W) is a direct-tcpip channel: a channel type the door does not open
        Proc.Outcome local = ssh(alice, "-o", "ExitOnForwardFailure=yes", "-W", "127.0.0.1:" + door.port());
        assertThat(local.exit()).as(local.toString()).isEqualTo(255);
        assertThat(local.err()).contains("open failed");
        assertThat(probe.seen).isEmpty();
    }

    @Test
    void theSessionCanEndItselfAndItsInputEndsThen() throws Exception {
        Proc.Outcome o = ssh(alice, "-T", "close");
        assertThat(o.out()).isEqualTo("closing\n");
        // no exit status was sent: OpenSSH says 255
        assertThat(o.exit()).as(o.toString()).isEqualTo(255);
        assertThat(probe.readAfterClose.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
    }

    /**
     * ssh whose output nobody reads (a pipe never drained): once its channel window is full, the
     * handler's write blocks; another session is served meanwhile; after the stall limit the stalled
     * session is dropped, its write fails and the drop is logged.
     */
    @Test
    void aClientThatStopsReadingIsDroppedAfterTheStallLimitAndStallsNobodyElse() throws Exception {
        List<String> cmd = sshCommand(alice, "-T", "flood");
        Path err = work.resolve("flood.err");
        Process stalled = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(err.toFile()).start();
        try {
            // the flood is blocked: bytes written, then no progress for a second
            assertThat(Proc.await(() -> probe.flooded.get() > 0
                    && System.nanoTime() - probe.floodProgress.get() > TimeUnit.SECONDS.toNanos(1), RUN))
                    .as("the flood's writes block").isTrue();
            long blocked = System.nanoTime();
            Proc.Outcome other = ssh(alice, "-T", "exit 5");
            assertThat(other.exit()).as(other.toString()).isEqualTo(5);
            assertThat(probe.flood).as("still waiting for the stalled client while the other session ran").isNotDone();
            IOException failed = probe.flood.get(STALL_LIMIT.toSeconds() + 20, TimeUnit.SECONDS);
            long waited = System.nanoTime() - blocked;
            assertThat(failed).hasMessage("the client read nothing for 10 s; its session was dropped");
            assertThat(Duration.ofNanos(waited)).isGreaterThan(STALL_LIMIT.minusSeconds(2));
            assertThat(events).anyMatch(e -> e.matches(
                    "dropped the session of alice from 127\\.0\\.0\\.1:\\d+ \\('flood'\\): the client read nothing for 10 s"));
            // the window held it: megabytes at most, not everything the handler wanted to write
            assertThat(probe.flooded.get()).isLessThan(64L << 20);
        } finally {
            stalled.getInputStream().close();
            stalled.destroy();
            if (!stalled.waitFor(10, TimeUnit.SECONDS)) {
                Proc.kill(stalled);
            }
        }
    }

    /**
     * The console server's stop: its handlers return, then it closes the door at once. The status
     * they returned must still reach ssh (five doors in a row: the window between a handler's return
     * and the client's answer to SSH_MSG_CHANNEL_CLOSE is short, and the door once stopped inside it
     * about one time in four, ssh saying "closed by remote host" and 255). A client that is stopped
     * (SIGSTOP) cannot answer the close: the door waits for it, bounded, and says so.
     */
    @Test
    void closingTheDoorRightAfterItsHandlersReturnStillDeliversTheirStatus() throws Exception {
        for (int i = 0; i < 5; i++) {
            try (Gate gate = new Gate()) {
                Process ssh = gate.ssh();
                gate.release();
                gate.door.close();
                assertThat(ssh.waitFor(RUN.toSeconds(), TimeUnit.SECONDS)).as("ssh ended").isTrue();
                assertThat(ssh.exitValue()).as("ssh's status, door %d; it said: %s", i, gate.said()).isEqualTo(4);
                assertThat(gate.events).noneMatch(e -> e.startsWith("sessions not closed"));
            }
        }
        try (Gate gate = new Gate()) {
            Process ssh = gate.ssh();
            Proc.ok("kill", "-STOP", Long.toString(ssh.pid()));
            try {
                gate.release();
                long from = System.nanoTime();
                gate.door.close();
                assertThat(Duration.ofNanos(System.nanoTime() - from))
                        .as("the door waited for the stopped client's close").isGreaterThan(SshFrontDoor.LEAVE_WAIT.minusMillis(300));
                assertThat(gate.events).contains("sessions not closed " + SshFrontDoor.LEAVE_WAIT.toSeconds() + " s after the door began closing; closing anyway");
            } finally {
                Proc.ok("kill", "-CONT", Long.toString(ssh.pid()));
                assertThat(ssh.waitFor(RUN.toSeconds(), TimeUnit.SECONDS)).as("ssh ended").isTrue();
            }
        }
    }

    /** A door of its own whose one session waits in its handler until released, then returns 4. */
    private final class Gate implements AutoCloseable {
        final List<String> events = new CopyOnWriteArrayList<>();
        final SshFrontDoor door;
        private final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CountDownLatch returned = new java.util.concurrent.CountDownLatch(1);
        private final Path err;
        private Process ssh;

        Gate() throws IOException {
            Path hostKey = work.resolve("consoled_host_key"); // the class's door's key: known_hosts knows it
            Predicate<PublicKey> aliceKeys = AuthorizedKeys.read(work.resolve("alice.keys"));
            door = SshFrontDoor.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), hostKey,
                    (user, key) -> user.equals("alice") && aliceKeys.test(key), s -> {
                        try {
                            entered.countDown();
                            if (!released.await(RUN.toSeconds(), TimeUnit.SECONDS)) return 9;
                            return 4;
                        } catch (InterruptedException e) {
                            return 8;
                        } finally {
                            returned.countDown();
                        }
                    }, new SshFrontDoor.Settings(STALL_LIMIT, events::add));
            err = Files.createTempFile(work, "gate", ".err");
        }

        /** ssh into the gate, once its handler runs. */
        Process ssh() throws Exception {
            Path known = Files.writeString(Files.createTempFile(work, "gate", ".known"),
                    "[127.0.0.1]:" + door.port() + " " + hostKeyLine + "\n");
            List<String> cmd = new ArrayList<>(base(alice, known, door.port()));
            cmd.addAll(List.of("-T", "alice@127.0.0.1", "wait"));
            ssh = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
            assertThat(Proc.await(() -> entered.getCount() == 0 || !ssh.isAlive(), RUN) && entered.getCount() == 0)
                    .as("the handler runs; ssh said: %s", said()).isTrue();
            return ssh;
        }

        /** Lets the handler return, and waits until it has: what the daemon does before it closes the door. */
        void release() throws InterruptedException {
            released.countDown();
            assertThat(returned.await(RUN.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }

        String said() { return read(err); }

        @Override
        public void close() {
            door.close();
            if (ssh != null && ssh.isAlive()) Proc.kill(ssh);
        }
    }

    /** Not an assertion on time: prints what a login with `true` costs here, against OpenSSH's sshd. */
    @Test
    void execTrueAgainstTheDoorAndAgainstOpenSshd() throws Exception {
        OpenSshd sshd = OpenSshd.onLoopback(work.resolve("sshd"), alice.publicKey());
        try {
            Path sshdKnown = Files.writeString(work.resolve("sshd_known_hosts"), sshd.knownHostsLine() + "\n");
            List<Long> door = new ArrayList<>();
            List<Long> openssh = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                Proc.Outcome d = ssh(alice, "-T", "exit 0");
                assertThat(d.exit()).as(d.toString()).isZero();
                door.add(d.took().toMillis());
                List<String> toSshd = new ArrayList<>(base(alice, sshdKnown, sshd.port));
                toSshd.addAll(List.of("root@127.0.0.1", "true"));
                Proc.Outcome o = run(toSshd);
                assertThat(o.exit()).as(o.toString()).isZero();
                openssh.add(o.took().toMillis());
            }
            System.out.println("ssh ... true: front door median " + median(door) + " ms " + door
                    + ", OpenSSH sshd median " + median(openssh) + " ms " + openssh);
        } finally {
            sshd.kill();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static long median(List<Long> ms) {
        Long[] sorted = ms.stream().sorted().toArray(Long[]::new);
        return sorted[sorted.length / 2];
    }

    private Proc.Outcome ssh(SshKey key, String... args) {
        return run(sshCommand(key, args));
    }

    private Proc.Outcome run(List<String> command) {
        return Proc.run(RUN, command);
    }

    /** ssh with nothing from the machine's or root's configuration, the agent or other keys: only {@code key}. */
    private List<String> sshCommand(SshKey key, String... args) {
        List<String> cmd = new ArrayList<>(base(key, knownHosts, door.port()));
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        // options first, then the destination, then the command words
        int firstWord = 0;
        while (firstWord < rest.size() && rest.get(firstWord).startsWith("-")) {
            boolean takesValue = List.of("-o", "-l", "-R", "-L", "-W").contains(rest.get(firstWord));
            firstWord += takesValue ? 2 : 1;
        }
        cmd.addAll(rest.subList(0, firstWord));
        cmd.add(rest.contains("-l") ? "127.0.0.1" : "alice@127.0.0.1");
        cmd.addAll(rest.subList(firstWord, rest.size()));
        return cmd;
    }

    private static List<String> base(SshKey key, Path knownHosts, int port) {
        return List.of(Proc.require("ssh", "openssh-client"), "-F", "/dev/null", "-o", "BatchMode=yes",
                "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-i", key.privateKey().toString(),
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=10", "-p", Integer.toString(port));
    }
}
