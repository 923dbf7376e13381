package org.ctys.plugins.pm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SocatPty;
import org.ctys.testkit.SshKey;
import org.ctys.testkit.Tmux;
import org.ctys.testkit.Xvfb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * CONSOLE: on PM CREATE against a machine that is up (a real OpenSSH server on 127.0.0.1): with
 * REUSE nothing is sent to wake it and the console opens at once: CLI, an SSH shell on this
 * terminal (a tmux pane); XTERM, that shell in a window on a real X server (Xvfb). The machine's
 * wake settings name 127.255.255.255, so a packet, were one sent, would stay on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class PmConsoleIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String MACHINE = "ctys-pmcon1";
    private Path work;
    private Path marker;
    private Path home;
    private OpenSshd sshd;
    private CtysRunner ctys;
    private Tmux tmux;
    private Xvfb xvfb;

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("ctys-pm-console-it");
        marker = work.resolve("interactive-login");
        home = Files.createDirectories(work.resolve("home"));
        SshKey key = SshKey.generate(home.resolve(".ssh/id_ed25519"));
        // an interactive login (no command) leaves the marker, then gives the usual shell; commands run as given
        sshd = OpenSshd.onLoopback(work.resolve("sshd"), key.publicKey(), List.of("ForceCommand if [ -z \"$SSH_ORIGINAL_COMMAND\" ];"
                + " then touch '" + marker + "'; exec sh -i; else exec sh -c \"$SSH_ORIGINAL_COMMAND\"; fi"));
        sshd.trustIn(home);
        Path inv = work.resolve("inventory.yaml");
        Files.writeString(inv, """
                machines:
                  %s:
                    host: 127.0.0.1
                    mac: "52:54:00:c7:06:01"
                    wol: {broadcast: 127.255.255.255}
                    ssh: {user: %s, port: %d}
                """.formatted(MACHINE, System.getProperty("user.name"), sshd.port));
        ctys = new CtysRunner(home).inventory(inv);
        tmux = new Tmux("pm-console-it");
    }

    @AfterAll
    void stop() {
        // the window was started detached from ctys: found by its title
        ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(c -> c.contains("xterm") && c.contains(MACHINE)).orElse(false))
                .forEach(h -> {
                    h.descendants().forEach(ProcessHandle::destroyForcibly);
                    h.destroyForcibly();
                    h.onExit().join();
                });
        if (xvfb != null) xvfb.close();
        if (tmux != null) tmux.close();
        if (sshd != null) sshd.kill();
        Proc.deleteTree(work);
    }

    @Test
    void consoleCliWithReuseOnAMachineThatIsUpLandsInAShell() throws Exception {
        String pane = "cli";
        Path exit = work.resolve("cli.exit");
        Path stty = work.resolve("cli.stty");
        tmux.open(pane, 100, 30, ctys.terminalScript(work.resolve("cli.sh"), exit, stty, "-t", "pm", "-a", "create=console:cli,reuse",
                MACHINE));
        tmux.await(pane, s -> s.lines().anyMatch(l -> l.matches(".*[#$]\\s*")), "the machine's shell prompt");
        tmux.type(pane, "echo pm-$((6*7))");
        tmux.await(pane, s -> s.contains("\npm-42"), "the shell's answer");
        tmux.type(pane, "exit 5");
        boolean ended = Proc.await(() -> Files.exists(stty) && stty.toFile().length() > 0, WAIT);
        assertThat(ended).as(tmux.screen(pane)).isTrue();
        // the shell's exit status is the command's, and the terminal is exactly as it was
        assertThat(Files.readString(exit).strip()).isEqualTo("EXIT=5");
        assertThat(Files.readString(work.resolve("cli.stty.g-after"))).isEqualTo(Files.readString(work.resolve("cli.stty.g-before")));
    }

    @Test
    void consoleXtermWithReuseOpensAWindowWithAShellOnTheMachine() throws Exception {
        Proc.require("xterm", "xterm");
        xvfb = Xvfb.start(work.resolve("xvfb.log"));
        Files.deleteIfExists(marker);
        Proc.Outcome r = ctys.env("DISPLAY", ":" + xvfb.display()).run("-t", "pm", "-a", "create=console:xterm,reuse", MACHINE);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains(MACHINE + " (xterm)").contains("already up; reused, nothing sent");
        boolean window = Proc.await(() -> xvfb.windows().contains("\"" + MACHINE + "\""), WAIT);
        assertThat(window).as("a window titled " + MACHINE + ":\n" + xvfb.windows()).isTrue();
        assertThat(Proc.await(() -> Files.exists(marker), WAIT)).as("the shell in the window logged in to the machine").isTrue();
    }

    @Test
    void consoleSerialWithReuseOnAMachineThatIsUpAttachesItsInventorysLine() throws Exception {
        try (SocatPty pty = SocatPty.start(Files.createDirectories(work.resolve("serial")))) {
            // the same machine, with its serial line: a socat pty pair whose far end plays the machine
            Path inv = work.resolve("inventory-serial.yaml");
            Files.writeString(inv, """
                    machines:
                      %s:
                        host: 127.0.0.1
                        mac: "52:54:00:c7:06:01"
                        wol: {broadcast: 127.255.255.255}
                        ssh: {user: %s, port: %d}
                        serial: {device: %s, speed: 9600}
                    """.formatted(MACHINE, System.getProperty("user.name"), sshd.port, pty.line()));
            String pane = "serial";
            Path exit = work.resolve("serial.exit");
            Path stty = work.resolve("serial.stty");
            tmux.open(pane, 100, 30, new CtysRunner(home).inventory(inv).terminalScript(work.resolve("serial.sh"), exit, stty,
                    "-t", "pm", "-a", "create=console:serial,reuse", MACHINE));
            tmux.await(pane, s -> s.contains("attached to the console of " + MACHINE), "the banner of the serial console", WAIT);
            assertThat(pty.lineStty()).as("the entry's speed on the line").contains("speed 9600 baud");

            pty.farWrite("login: hello from " + MACHINE + "\r\n");
            tmux.await(pane, s -> s.contains("login: hello from " + MACHINE), "the machine's text", WAIT);
            tmux.type(pane, "root");
            pty.farAwait(s -> s.contains("root\r"), WAIT);

            tmux.send(pane, "~.");
            boolean ended = Proc.await(() -> Files.exists(stty) && stty.toFile().length() > 0, WAIT);
            assertThat(ended).as(tmux.screen(pane)).isTrue();
            assertThat(Files.readString(exit).strip()).as(tmux.screen(pane)).isEqualTo("EXIT=0");
            assertThat(Files.readString(work.resolve("serial.stty.g-after")))
                    .isEqualTo(Files.readString(work.resolve("serial.stty.g-before")));
            // ~. left the console and did not reach the line
            assertThat(tmux.screen(pane)).contains("left the console of " + MACHINE);
            assertThat(pty.farAwait(s -> true, WAIT)).doesNotContain("~.");
        }
    }
}
