package org.ctys.plugins.serial;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SocatPty;
import org.ctys.testkit.Tmux;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ctys -t serial -a create} on a terminal (a tmux pane) against a real line, a socat pty pair:
 * what the machine prints appears, what is typed reaches it, {@code ~.} leaves with exit 0 and the
 * terminal exactly as it was ({@code stty -g} before and after equal, speed included), a line that
 * vanishes is reported lost with exit 1, and the framing asked is the one the line has.
 */
class SerialConsoleIT {
    private static final Duration WAIT = Tmux.WAIT;
    private static final String NOBODY = "65534";

    @TempDir Path dir;
    private SocatPty pty;
    private Tmux tmux;

    @BeforeEach
    void start() {
        pty = SocatPty.start(dir);
        tmux = new Tmux("serial-it");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (tmux != null) tmux.close();
        if (pty != null) pty.close();
    }

    @Test
    void textGoesBothWaysAndTildeDotLeavesWithTheTerminalExactlyRestored() throws Exception {
        Path exit = dir.resolve("exit");
        Path stty = dir.resolve("stty");
        pane("one", exit, stty, "-t", "serial", "-a", "create=dev:" + pty.line());
        tmux.await("one", s -> s.contains("attached to the console of " + pty.line()), "the banner", WAIT);

        pty.farWrite("login: hello from lab07\r\n");
        tmux.await("one", s -> s.contains("login: hello from lab07"), "the machine's text", WAIT);

        tmux.type("one", "root");
        pty.farAwait(s -> s.contains("root\r"), WAIT);

        tmux.send("one", "~.");
        awaitEnd(exit, stty);
        assertThat(Files.readString(exit).strip()).isEqualTo("EXIT=0");
        assertThat(Files.readString(Path.of(stty + ".g-after"))).isEqualTo(Files.readString(Path.of(stty + ".g-before")));
        assertThat(pty.farAwait(s -> true, WAIT)).doesNotContain("~.");
    }

    @Test
    void theMachinesLineIsOpenedWithItsEntryAndTheSuboptionsOverIt() throws Exception {
        Path inventory = dir.resolve("inventory.yaml");
        Files.writeString(inventory, "machines:\n  lab07:\n    serial: {device: " + pty.line() + ", speed: 9600, stop: 2}\n");
        Path exit = dir.resolve("exit");
        pane("lab07", exit, dir.resolve("stty"), "--inventory", inventory.toString(), "-t", "serial", "-a",
                "create=flow:rtscts", "lab07");
        tmux.await("lab07", s -> s.contains("attached to the console of lab07"), "the banner", WAIT);

        // the end ctys opened: a pty pair carries no line settings to the far end
        String stty = pty.lineStty();
        assertThat(stty).contains("speed 9600 baud");
        assertThat(List.of(stty.split("[\\s;]+"))).contains("cstopb", "crtscts", "cs8", "-parenb", "-ixon");

        tmux.key("lab07", "Enter");
        tmux.send("lab07", "~.");
        awaitFile(exit);
        assertThat(Files.readString(exit).strip()).isEqualTo("EXIT=0");
    }

    @Test
    void aLineThatVanishesIsReportedLostWithExit1AndTheTerminalRestored() throws Exception {
        Path exit = dir.resolve("exit");
        Path stty = dir.resolve("stty");
        pane("gone", exit, stty, "-t", "serial", "-a", "create=dev:" + pty.line());
        tmux.await("gone", s -> s.contains("attached to the console of"), "the banner", WAIT);

        pty.vanish();

        awaitEnd(exit, stty);
        assertThat(Files.readString(exit).strip()).isEqualTo("EXIT=1");
        assertThat(tmux.screen("gone").replace("\n", "")).contains("serial line " + pty.line() + " was lost (");
        assertThat(Files.readString(Path.of(stty + ".g-after"))).isEqualTo(Files.readString(Path.of(stty + ".g-before")));
    }

    @Test
    void theOverallTimeoutLeavesTheConsoleWith124AndTheTerminalRestored() throws Exception {
        Path exit = dir.resolve("exit");
        Path stty = dir.resolve("stty");
        pane("bounded", exit, stty, "--timeout", "2s", "-t", "serial", "-a", "create=dev:" + pty.line());
        tmux.await("bounded", s -> s.contains("attached to the console of"), "the banner", WAIT);

        awaitEnd(exit, stty);
        assertThat(Files.readString(exit).strip()).isEqualTo("EXIT=124");
        assertThat(tmux.screen("bounded").replace("\n", "")).contains("the overall --timeout of 2s ran out; the console was left");
        assertThat(Files.readString(Path.of(stty + ".g-after"))).isEqualTo(Files.readString(Path.of(stty + ".g-before")));
    }

    @Test
    void aLineAnotherCtysHoldsIsInUseAndLeftAlone() throws Exception {
        Path exit = dir.resolve("exit");
        pane("holder", exit, dir.resolve("stty"), "-t", "serial", "-a", "create=dev:" + pty.line());
        tmux.await("holder", s -> s.contains("attached to the console of"), "the banner", WAIT);

        Proc.Outcome second = new CtysRunner(Files.createDirectories(dir.resolve("home2")))
                .run("-t", "serial", "-a", "create=dev:" + pty.line());

        assertThat(second.exit()).as(second.toString()).isEqualTo(1);
        assertThat(second.both()).contains("serial line " + pty.line() + ": in use by another program");
        pty.farWrite("still attached\r\n");
        tmux.await("holder", s -> s.contains("still attached"), "the holder's console, untouched", WAIT);
        tmux.key("holder", "Enter");
        tmux.send("holder", "~.");
        awaitFile(exit);
        assertThat(Files.readString(exit).strip()).isEqualTo("EXIT=0");
    }

    @Test
    void theDryRunNamesDeviceAndFramingAndOpensNothing() throws Exception {
        String before = pty.lineStty();

        Proc.Outcome r = new CtysRunner(Files.createDirectories(dir.resolve("home")))
                .run("-n", "-t", "serial", "-a", "create=dev:" + pty.line() + ",speed:9600,parity:e,flow:xonxoff");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("picocom -b 9600 -d 8 -y e -p 1 -f s " + pty.line() + "   # the serial line at 9600 8e1, flow xonxoff");
        assertThat(before).doesNotContain("speed 9600 baud");
        assertThat(pty.lineStty()).isEqualTo(before);
    }

    @Test
    void badSuboptionsAreUsageErrorsAndNothingIsOpened() throws Exception {
        String before = pty.lineStty();
        CtysRunner ctys = new CtysRunner(Files.createDirectories(dir.resolve("home")));

        for (String bad : List.of("speed:fast", "parity:m", "bits:9", "stop:0", "flow:dsrdtr")) {
            Proc.Outcome r = ctys.run("-t", "serial", "-a", "create=dev:" + pty.line() + "," + bad);
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().lines().findFirst().orElse("")).containsIgnoringCase(bad.substring(0, bad.indexOf(':')));
        }
        assertThat(pty.lineStty()).isEqualTo(before);
    }

    /**
     * As a normal user (nobody, through setpriv): jSerialComm's native library is unpacked in a
     * directory of that user's own and nothing of it is left behind; a line the user may not open is
     * named as such.
     */
    @Test
    void aNormalUserUsesALineAndTheNativeLibraryLeavesNothingBehind() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Proc.ok("chmod", "1777", tmp.toString());
        Path device = pty.lineDevice();
        Proc.ok("chown", NOBODY, device.toString());

        Outcome r = asNobody(tmp, "hello from nobody\n", "-t", "serial", "-a", "create=dev:" + device);

        assertThat(r.status()).as(r.toString()).isZero();
        pty.farAwait(s -> s.contains("hello from nobody"), WAIT);
        try (var left = Files.list(tmp)) {
            assertThat(left.toList()).as("what the library left in java.io.tmpdir").isEmpty();
        }
        assertThat(Path.of("/tmp/jSerialComm")).doesNotExist();

        Proc.ok("chown", "0", device.toString());
        Outcome denied = asNobody(tmp, "", "-t", "serial", "-a", "create=dev:" + device);
        assertThat(denied.status()).as(denied.toString()).isEqualTo(1);
        assertThat(denied.out() + denied.err()).contains("serial line " + device + ": permission denied");
    }

    private record Outcome(int status, String out, String err) {}

    private Outcome asNobody(Path tmp, String stdin, String... args) throws IOException, InterruptedException {
        Path jar = Path.of("target/ctys.jar").toAbsolutePath();
        assertThat(jar).as("mvn package makes the jar before the integration tests").exists();
        List<String> cmd = new ArrayList<>(List.of(Proc.require("setpriv", "util-linux"), "--reuid=" + NOBODY,
                "--regid=" + NOBODY, "--clear-groups", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", jar.toString(), "org.ctys.Main"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("nobody.out");
        Path err = dir.resolve("nobody.err");
        Path in = Files.writeString(dir.resolve("nobody.in"), stdin);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(in.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", CtysRunner.PATH);
        pb.environment().put("HOME", dir.resolve("nobody-home").toString());
        pb.environment().put("CTYS_ETHERS", dir.resolve("no-ethers").toString());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            Proc.kill(p);
            throw new AssertionError("ctys did not end within 60 s");
        }
        return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private void pane(String session, Path exit, Path stty, String... args) throws IOException {
        Path home = Files.createDirectories(dir.resolve("home-" + session));
        tmux.open(session, 120, 30, new CtysRunner(home).terminalScript(dir.resolve(session + ".sh"), exit, stty, args));
    }

    /** The exit status, and the terminal's modes the script writes after it (stty -a last). */
    private static void awaitEnd(Path exit, Path stty) {
        awaitFile(exit);
        awaitFile(stty);
    }

    private static void awaitFile(Path f) {
        assertThat(Proc.await(() -> Files.exists(f) && f.toFile().length() > 0, WAIT))
                .as(f + " was written within " + WAIT.toSeconds() + " s: ctys ended").isTrue();
    }
}
