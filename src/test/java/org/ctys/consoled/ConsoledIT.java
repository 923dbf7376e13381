package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.JSchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SocatPty;
import org.ctys.testkit.SshKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ctys-consoled end to end: the daemon started by bin/ctys-consoled, socat pty pairs as serial
 * lines (a generator or the test on the far end), a cmd: console, and two SSH clients we did not
 * write, OpenSSH's ssh and JSch. Users: alice and bob read-write, rita read-only; mallory's key is
 * nobody's.
 */
class ConsoledIT {

    @TempDir
    Path dir;
    private Path logs;
    private Path knownHosts;
    private SshKey alice;
    private SshKey bob;
    private SshKey rita;
    private SshKey mallory;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<Process> generators = new ArrayList<>();

    @BeforeEach
    void keys() {
        Proc.require("socat", "socat");
        Proc.require("ssh", "openssh-client");
        logs = dir.resolve("logs");
        knownHosts = dir.resolve("known_hosts");
        alice = SshKey.generate(dir.resolve("keys/alice"));
        bob = SshKey.generate(dir.resolve("keys/bob"));
        rita = SshKey.generate(dir.resolve("keys/rita"));
        mallory = SshKey.generate(dir.resolve("keys/mallory"));
    }

    @AfterEach
    void close() throws Exception {
        for (Process g : generators) Proc.stop(g);
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private SocatPty line(String name) throws IOException {
        Path d = Files.createDirectories(dir.resolve("lines").resolve(name));
        return keep(SocatPty.start(d));
    }

    /** consoled.yaml with the test's users and access, extra top-level text, and these consoles. */
    private Path config(String extra, String consoles) throws IOException {
        Path file = dir.resolve("consoled.yaml");
        Files.writeString(file, "listen: 127.0.0.1:0\n"
                + "host-key: host_key\n"
                + "log-dir: " + logs + "\n"
                + extra
                + "users:\n"
                + "  alice: {keys: " + alice.publicKey() + "}\n"
                + "  bob: {keys: " + bob.publicKey() + "}\n"
                + "  rita: {keys: " + rita.publicKey() + "}\n"
                + "access:\n"
                + "  - {consoles: ['*'], rw: [alice, bob], ro: [rita]}\n"
                + "consoles:\n" + consoles);
        return file;
    }

    private static String serial(String name, SocatPty line) {
        return "  " + name + ": {serial: {device: " + line.line() + ", speed: 115200}}\n";
    }

    private FrontDoorClient ssh(String who, SshKey key, String user, ConsoledProcess d, String command) {
        return keep(FrontDoorClient.ssh(who, key.privateKey(), knownHosts, user, d.port(), command));
    }

    private FrontDoorClient jsch(String who, SshKey key, String user, ConsoledProcess d, String command) {
        return keep(FrontDoorClient.jsch(who, key.privateKey(), user, d.port(), command));
    }

    private Proc.Outcome sshOnce(SshKey key, String user, ConsoledProcess d, String command) {
        return Proc.run(Duration.ofSeconds(30), FrontDoorClient.sshCommand(key.privateKey(), knownHosts, user, d.port(), false, command));
    }

    @Test
    void usersAttachReadWriteSpyForceAndReplayWithOpenSshAndJSch() throws Exception {
        SocatPty lab01 = line("lab01");
        ConsoledProcess d = keep(ConsoledProcess.start(config("", serial("lab01", lab01)
                + "  sh1: {cmd: \"tty; exec cat\"}\n")));
        d.awaitSaid("lab01 up (serial " + lab01.line() + " 115200)");

        FrontDoorClient a = ssh("alice (ssh)", alice, "alice", d, "lab01");
        a.await("[ctys-consoled: lab01 up (serial " + lab01.line() + " 115200); you write; ~? for help]");
        FrontDoorClient b = jsch("bob (JSch)", bob, "bob", d, "lab01");
        b.await("alice writes, you watch; ~f takes over");
        FrontDoorClient r = jsch("rita (JSch)", rita, "rita", d, "lab01");
        r.await("alice writes, you watch (read-only)");

        lab01.farWrite("boot: hello from lab01\r\n");
        a.await("boot: hello from lab01");
        b.await("boot: hello from lab01");
        r.await("boot: hello from lab01");

        a.type("uname\r");
        lab01.farAwait(s -> s.contains("uname\r"), Duration.ofSeconds(20));
        r.type("reboot\r");
        r.await("you may only watch lab01 (read-only); typing dropped");
        b.type("halt\r");
        b.await("alice writes, you watch; typing dropped; ~f takes over");

        b.type("~f");
        a.await("[ctys-consoled: bob took the write from alice]");
        r.await("[ctys-consoled: bob took the write from alice]");
        b.type("ok\r");
        lab01.farAwait(s -> s.endsWith("uname\rok\r"), Duration.ofSeconds(20));

        FrontDoorClient spy = jsch("alice spying (JSch)", alice, "alice", d, "lab01 --spy");
        spy.await("you spy; ~f takes the write");
        spy.type("secret\r");
        spy.await("you spy; typing dropped");
        spy.type("~w");
        spy.await("[ctys-consoled: lab01: bob writes; watching: alice, rita; spying: alice]");
        assertThat(lab01.farAwait(s -> true, Duration.ofSeconds(1))).isEqualTo("uname\rok\r");

        FrontDoorClient replay = ssh("rita replaying (ssh)", rita, "rita", d, "lab01 --replay 3");
        String shown = replay.await("you watch (read-only)");
        assertThat(shown.indexOf("boot: hello from lab01")).isBetween(0, shown.indexOf("[ctys-consoled: lab01 up"));
        replay.type("~.");
        assertThat(replay.exitStatus()).isZero();

        Proc.Outcome list = sshOnce(rita, "rita", d, "list --json");
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).contains("\"name\":\"lab01\"", "\"writer\":\"bob\"", "\"spies\":[\"alice\"]", "\"access\":\"ro\"",
                "\"name\":\"sh1\",\"kind\":\"cmd\"");

        FrontDoorClient cmd = ssh("alice on sh1 (ssh)", alice, "alice", d, "sh1 --replay 5");
        cmd.await("/dev/pts/");
        cmd.type("ping-sh1\r");
        cmd.await("ping-sh1", 2);

        // the far end never saw an escape, the spy's or a watcher's typing
        assertThat(lab01.farAwait(s -> true, Duration.ofSeconds(1))).isEqualTo("uname\rok\r");
    }

    @Test
    void aRefusedKeyAndAReadOnlyUsersForceAreRefused() throws Exception {
        SocatPty lab01 = line("lab01");
        ConsoledProcess d = keep(ConsoledProcess.start(config("", serial("lab01", lab01))));

        Proc.Outcome refused = sshOnce(mallory, "alice", d, "lab01");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(255);
        assertThat(refused.err()).contains("Permission denied (publickey)");
        assertThatThrownBy(() -> FrontDoorClient.jschLogin(mallory.privateKey(), "alice", d.port()))
                .isInstanceOf(JSchException.class).hasMessageContaining("Auth fail");

        Proc.Outcome force = sshOnce(rita, "rita", d, "lab01 --force");
        assertThat(force.exit()).as(force.toString()).isEqualTo(3);
        assertThat(force.err()).isEqualTo("ctys-consoled: --force needs read-write access to lab01; you may only watch it\n");
        Proc.Outcome none = sshOnce(alice, "alice", d, "lab99");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).isEqualTo("ctys-consoled: no such console 'lab99'\n");
        Proc.Outcome bad = sshOnce(alice, "alice", d, "lab01 --spy --force");
        assertThat(bad.exit()).isEqualTo(2);
    }

    /** A generator on a line's far end: numbered lines, a pause every 100 so the stream lasts a few seconds. */
    private Process generate(SocatPty line, String name, int lines) throws IOException {
        String script = "i=0; while [ $i -lt " + lines + " ]; do printf '" + name + " line %06d 0123456789abcdefghijklmnop\\n' $i;"
                + " i=$((i+1)); if [ $((i % 100)) -eq 0 ]; then sleep 0.05; fi; done > " + line.far();
        Process p = new ProcessBuilder(Proc.require("timeout", "coreutils"), "300", "sh", "-c", script)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        generators.add(p);
        return p;
    }

    private static String expected(String name, int lines) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++) b.append(String.format("%s line %06d 0123456789abcdefghijklmnop\n", name, i));
        return b.toString();
    }

    private String logged(String console) {
        try {
            return new String(ConsoleLog.consoleBytes(logs, console), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void afterKillNineWhileTenConsolesStreamEveryLoggedByteIsThereAndTheConsolesComeBack() throws Exception {
        int n = 10;
        int lines = 4000;
        List<SocatPty> ptys = new ArrayList<>();
        StringBuilder consoles = new StringBuilder();
        for (int i = 0; i < n; i++) {
            SocatPty p = line(String.format("c%02d", i));
            ptys.add(p);
            consoles.append(serial(String.format("c%02d", i), p));
        }
        Path cfg = config("", consoles.toString());
        ConsoledProcess first = keep(ConsoledProcess.start(cfg));
        for (int i = 0; i < n; i++) first.awaitSaid(String.format("c%02d up", i));
        Instant started = Instant.now().minusSeconds(1);
        List<Process> gens = new ArrayList<>();
        for (int i = 0; i < n; i++) gens.add(generate(ptys.get(i), String.format("c%02d", i), lines));

        // streaming: every console has logged something, none all of it
        assertThat(Proc.await(() -> {
            for (int i = 0; i < n; i++) if (logged(String.format("c%02d", i)).length() < 2000) return false;
            return true;
        }, Duration.ofSeconds(60), Duration.ofMillis(100))).isTrue();
        first.killNine();

        List<String> beforeRestart = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = String.format("c%02d", i);
            String all = expected(name, lines);
            String logged = logged(name);
            assertThat(all).as(name + ": what was logged before the kill is exactly the start of what was sent").startsWith(logged);
            assertThat(logged.length()).as(name + " was still streaming at the kill").isLessThan(all.length());
            beforeRestart.add(logged);
        }

        ConsoledProcess second = keep(ConsoledProcess.start(cfg));
        for (int i = 0; i < n; i++) second.awaitSaid(String.format("c%02d up", i));
        for (Process g : gens) assertThat(g.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < n; i++) {
            String name = String.format("c%02d", i);
            String all = expected(name, lines);
            String last = String.format("%s line %06d", name, lines - 1);
            assertThat(Proc.await(() -> logged(name).contains(last), Duration.ofSeconds(60), Duration.ofMillis(200)))
                    .as(name + " reattached and read to the end").isTrue();
            String logged = logged(name);
            String before = beforeRestart.get(i);
            assertThat(logged).as(name + " keeps every byte logged before the kill").startsWith(before);
            String after = logged.substring(before.length());
            assertThat(all).as(name + ": after the restart the log goes on with the line's bytes").endsWith(after);
            assertThat(all.length() - after.length()).isGreaterThanOrEqualTo(before.length());
        }

        String lastBefore = beforeRestart.get(3).substring(0, beforeRestart.get(3).lastIndexOf('\n'));
        lastBefore = lastBefore.substring(lastBefore.lastIndexOf('\n') + 1);
        Proc.Outcome replay = sshOnce(rita, "rita", second, "c03 --since " + started);
        assertThat(replay.out()).as("replay from disk shows what was logged before the kill").contains(lastBefore)
                .contains("c03 up (serial");
    }

    @Test
    void aClientOnAnUnchangedConsoleStaysAttachedAcrossAReloadThatAddsAndRemovesOthers() throws Exception {
        SocatPty lab01 = line("lab01");
        SocatPty lab02 = line("lab02");
        SocatPty lab03 = line("lab03");
        Path cfg = config("", serial("lab01", lab01) + serial("lab02", lab02));
        ConsoledProcess d = keep(ConsoledProcess.start(cfg));
        d.awaitSaid("lab02 up");
        FrontDoorClient a = ssh("alice (ssh)", alice, "alice", d, "lab01");
        a.await("you write");
        FrontDoorClient b = jsch("bob (JSch)", bob, "bob", d, "lab02");
        b.await("you write");

        config("", serial("lab01", lab01) + serial("lab03", lab03));
        d.requireHangUpHandled();
        Proc.Outcome reload = ConsoledProcess.run("--config", cfg.toString(), "--reload");
        assertThat(reload.exit()).as(reload.toString()).isZero();

        d.awaitSaid("reloaded: 1 kept, added lab03, removed lab02");
        b.await("[ctys-consoled: lab02 removed from the configuration]");
        assertThat(b.exitStatus()).isEqualTo(1);
        d.awaitSaid("lab03 up (serial " + lab03.line());
        lab01.farWrite("after the reload\r\n");
        a.await("after the reload");
        a.type("still here\r");
        lab01.farAwait(s -> s.contains("still here\r"), Duration.ofSeconds(20));
        assertThat(a.ended()).isFalse();
        assertThat(d.said()).containsOnlyOnce("lab01 up (serial");

        // an invalid configuration is refused and the running one stays
        Files.writeString(cfg, Files.readString(cfg) + "bogus: 1\n");
        d.hangUp();
        d.awaitSaid("reload refused, the running configuration stays: " + cfg + ":");
        lab01.farWrite("still served\r\n");
        a.await("still served");
    }

    /**
     * A key taken away by a reload takes its connections with it: the session attached with it,
     * and a connection a client keeps to open more (OpenSSH's ControlMaster); the others stay.
     */
    @Test
    void aKeyTakenAwayByAReloadClosesTheConnectionsItOpened() throws Exception {
        SocatPty lab01 = line("lab01");
        Path cfg = config("", serial("lab01", lab01));
        ConsoledProcess d = keep(ConsoledProcess.start(cfg));
        d.awaitSaid("lab01 up");
        FrontDoorClient a = ssh("alice (ssh)", alice, "alice", d, "lab01");
        a.await("you write");
        FrontDoorClient b = jsch("bob (JSch)", bob, "bob", d, "lab01");
        b.await("alice writes");
        Path socket = dir.resolve("cm");
        List<String> master = new ArrayList<>(FrontDoorClient.sshCommand(alice.privateKey(), knownHosts, "alice", d.port(), false, ""));
        master.addAll(1, List.of("-M", "-S", socket.toString(), "-N"));
        Process m = new ProcessBuilder(master).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        keep(() -> Proc.stop(m));
        assertThat(Proc.await(() -> Files.exists(socket), Duration.ofSeconds(20))).as("the master connection is up").isTrue();

        // alice's key is replaced by another one
        SshKey other = SshKey.generate(dir.resolve("keys/alice-new"));
        Files.copy(other.publicKey(), alice.publicKey(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        d.requireHangUpHandled();
        Proc.Outcome reload = ConsoledProcess.run("--config", cfg.toString(), "--reload");
        assertThat(reload.exit()).as(reload.toString()).isZero();
        d.awaitSaid("2 connections closed: their keys are no longer accepted");
        assertThat(d.said()).contains("closing the connection of alice from 127.0.0.1:");
        a.await("your key is no longer accepted by this console server");
        assertThat(a.exitStatus()).isEqualTo(255);
        assertThat(m.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("the master connection ended").isTrue();
        b.await("alice left; the write is free");

        // nothing of alice's reaches the machine any more; bob, untouched, still writes
        List<String> viaMaster = new ArrayList<>(FrontDoorClient.sshCommand(alice.privateKey(), knownHosts, "alice", d.port(), false,
                "lab01"));
        viaMaster.addAll(1, List.of("-S", socket.toString(), "-o", "ControlMaster=no"));
        Proc.Outcome late = Proc.run(new ProcessBuilder(viaMaster), "typed after the reload\r", Duration.ofSeconds(30));
        assertThat(late.exit()).as(late.toString()).isEqualTo(255);
        b.type("bob here\r");
        String far = lab01.farAwait(s -> s.contains("bob here\r"), Duration.ofSeconds(20));
        assertThat(far).doesNotContain("typed after the reload");
        assertThat(b.ended()).isFalse();
    }

    @Test
    void rotationUnderLoadLosesNothing() throws Exception {
        SocatPty lab01 = line("lab01");
        ConsoledProcess d = keep(ConsoledProcess.start(config("rotate: {size: 4K, keep: 1000}\n", serial("lab01", lab01))));
        d.awaitSaid("lab01 up");
        int lines = 6000;
        Process g = generate(lab01, "lab01", lines);
        FrontDoorClient watcher = jsch("rita (JSch)", rita, "rita", d, "lab01");
        assertThat(g.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String all = expected("lab01", lines);
        assertThat(Proc.await(() -> logged("lab01").length() >= all.length(), Duration.ofSeconds(60), Duration.ofMillis(200)))
                .as("every byte logged").isTrue();
        assertThat(logged("lab01")).isEqualTo(all);
        try (var files = Files.list(logs)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("lab01.log.")).count())
                    .as("rotated files").isGreaterThan(20);
        }
        watcher.await(String.format("lab01 line %06d", lines - 1));
    }

    @Test
    void theDaemonsCommandLineChecksStopsCleanlyAndRefusesABadConfigurationOrATakenPort() throws Exception {
        SocatPty lab01 = line("lab01");
        Path cfg = config("", serial("lab01", lab01));

        Proc.Outcome check = ConsoledProcess.run("--config", cfg.toString(), "--check");
        assertThat(check.exit()).as(check.toString()).isZero();
        assertThat(check.out()).contains(cfg + ": valid; listen 127.0.0.1:0", "lab01  serial  serial " + lab01.line() + " 115200");

        ConsoledProcess d = keep(ConsoledProcess.start(cfg));
        d.awaitSaid("lab01 up");
        FrontDoorClient a = ssh("alice (ssh)", alice, "alice", d, "lab01");
        a.await("you write");

        Files.writeString(dir.resolve("taken.yaml"), Files.readString(cfg).replace("127.0.0.1:0", "127.0.0.1:" + d.port())
                .replace("log-dir: " + logs, "log-dir: " + dir.resolve("logs2")));
        Proc.Outcome taken = ConsoledProcess.run("--config", dir.resolve("taken.yaml").toString());
        assertThat(taken.exit()).as(taken.toString()).isEqualTo(3);
        assertThat(taken.err()).contains("ctys-consoled: cannot listen on 127.0.0.1:" + d.port());

        assertThat(d.stop()).isZero();
        a.await("[ctys-consoled: daemon stopping]");
        assertThat(a.exitStatus()).as("ssh's exit; its screen:\n%s\nthe daemon said:\n%s", a.screen(), d.said()).isEqualTo(1);
        assertThat(ConsoleLog.last(logs, "lab01", 1)).singleElement()
                .satisfies(l -> assertThat(new String(l.text(), StandardCharsets.UTF_8)).isEqualTo("daemon stopping"));

        Files.writeString(dir.resolve("bad.yaml"), "consoles:\n  lab01: {serial: {device: /dev/ttyS0, speed: fast}}\n");
        Proc.Outcome bad = ConsoledProcess.run("--config", dir.resolve("bad.yaml").toString());
        assertThat(bad.exit()).isEqualTo(3);
        assertThat(bad.err()).isEqualTo("ctys-consoled: " + dir.resolve("bad.yaml")
                + ":2: speed of serial of 'lab01' is 'fast'; valid: " + org.ctys.inventory.SerialSettings.SPEED_FORM + "\n");
        Proc.Outcome usage = ConsoledProcess.run("--chek");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).startsWith("ctys-consoled: unknown option '--chek'");
    }
}
