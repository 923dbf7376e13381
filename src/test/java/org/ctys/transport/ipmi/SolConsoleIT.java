package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.ctys.transport.ssh.CtysProcess;
import org.ctys.transport.ssh.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ctys -t sol -a create} on a terminal (a tmux pane) against a fresh ipmi_sim per test
 * whose host serial line is a socat pty pair: text both ways, the escape sequence, the terminal
 * restored, another session holding the console, FORCE.
 */
class SolConsoleIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path dir;
    private IpmiSim sim;
    private Path inventory;
    private final String socket = "ctys-sol-it-" + ProcessHandle.current().pid();

    @BeforeEach
    void start() throws IOException {
        Tools.require("/usr/bin/tmux", "tmux");
        sim = IpmiSim.start(Files.createDirectories(dir.resolve("bmc")), IpmiSim.Options.defaults().withSol().poweredOn(true));
        Path pw = dir.resolve("bmc.pw");
        Files.writeString(pw, sim.password() + "\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        inventory = dir.resolve("inventory.yaml");
        Files.writeString(inventory, "machines:\n  lab01:\n    bmc: {address: 127.0.0.1, port: " + sim.port() + ", user: "
                + sim.user() + ", password-file: " + pw + "}\n");
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        Tools.run("/usr/bin/tmux", "-L", socket, "kill-server");
        sim.close();
    }

    @Test
    void textGoesBothWaysAndTildeDotLeavesWithTheTerminalRestored() throws Exception {
        Path exit = dir.resolve("exit");
        Path stty = dir.resolve("stty");
        pane("one", "create", exit, stty);
        screen("one", s -> s.contains("attached to the console of lab01"), "the banner");

        sim.hostWrite("login: hello from the host\r\n");
        screen("one", s -> s.contains("login: hello from the host"), "the host's text");

        keys("one", "root");
        assertThat(sim.hostReadUntil("root\r", WAIT)).endsWith("root\r");

        // ~. after the newline just sent: ctys leaves, exit status 0, terminal back in cooked mode
        Tools.run("/usr/bin/tmux", "-L", socket, "send-keys", "-t", "one", "-l", "~.");
        waitForFile(exit);
        assertThat(Files.readString(exit).strip()).isEqualTo("EXIT=0");
        assertThat(Files.readString(stty)).contains(" icanon").contains(" echo ");
        assertThat(sim.hostReceived()).doesNotContain("~.");
        screen("one", s -> s.contains("left the console of lab01"), "the farewell");
    }

    @Test
    void aConsoleHeldByAnotherSessionIsRefusedUntilForceTakesItOver() throws Exception {
        pane("holder", "create", dir.resolve("holder-exit"), dir.resolve("holder-stty"));
        screen("holder", s -> s.contains("attached to the console of lab01"), "the first console");

        CtysProcess.Run refused = CtysProcess.run(Files.createDirectories(dir.resolve("home")), java.util.Map.of(), null,
                "--inventory", inventory.toString(), "-t", "sol", "-a", "create", "lab01");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.out()).contains("in use by another session; FORCE takes it over");

        Path exit = dir.resolve("exit");
        pane("taker", "create=force", exit, dir.resolve("stty"));
        screen("taker", s -> s.contains("attached to the console of lab01"), "the console taken over");
        sim.hostWrite("for the new owner\r\n");
        screen("taker", s -> s.contains("for the new owner"), "the host's text in the new console");

        // the session that lost the console finds out at the next key typed there: the BMC no longer takes its data
        Tools.run("/usr/bin/tmux", "-L", socket, "send-keys", "-t", "holder", "-l", "x");
        // (or, should its 5 s check fall between the other's deactivation and activation, at that check)
        screen("holder", s -> s.contains("left the console of lab01:")
                && (s.contains("took the console over") || s.contains("no longer active for this session")),
                "the first console's end");
        assertThat(sim.hostReceived()).doesNotContain("x");
        Tools.run("/usr/bin/tmux", "-L", socket, "send-keys", "-t", "taker", "-l", "~.");
        waitForFile(exit);
        assertThat(Files.readString(exit).strip()).isEqualTo("EXIT=0");
    }

    @Test
    void pmCreateWithConsoleSolPowersOnAndAttachesAtOnce() throws Exception {
        IpmiTool.Result off = IpmiTool.run(sim, "chassis", "power", "off");
        assertThat(off.exit()).as(off.output()).isZero();
        Path exit = dir.resolve("exit");
        paneRunning("boot", "-t pm -a create=ipmi,boot:pxe,console:sol lab01", exit, dir.resolve("stty"));

        screen("boot", s -> s.contains("attached to the console of lab01"), "the console after the power-on");
        assertThat(sim.actions()).endsWith("boot pxe", "power 1");
        sim.hostWrite("PXE boot from the network\r\n");
        screen("boot", s -> s.contains("PXE boot from the network"), "the boot messages");
        Tools.run("/usr/bin/tmux", "-L", socket, "send-keys", "-t", "boot", "-l", "~.");
        waitForFile(exit);
        assertThat(Files.readString(exit).strip()).isEqualTo("EXIT=0");
    }

    @Test
    void pipedInputIsSentAndTheConsoleIsLeftAtItsEnd() throws Exception {
        CtysProcess.Run run = CtysProcess.run(Files.createDirectories(dir.resolve("home")), java.util.Map.of(),
                "from a pipe\r", "--inventory", inventory.toString(), "-t", "sol", "-a", "create", "lab01");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(sim.hostReadUntil("from a pipe\r", WAIT)).contains("from a pipe");
    }

    @Test
    void aBmcKeyFromTheInventoryOpensTheConsole() throws Exception {
        try (IpmiSim keyed = IpmiSim.start(Files.createDirectories(dir.resolve("bmc-kg")),
                IpmiSim.Options.defaults().withSol().poweredOn(true).withBmcKey("sol-kg-Key"))) {
            Path kg = dir.resolve("bmc.kg");
            Path wrong = dir.resolve("wrong.kg");
            Files.writeString(kg, "sol-kg-Key\n");
            Files.writeString(wrong, "not-the-key\n");
            for (Path f : List.of(kg, wrong)) Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            String bmc = "machines:\n  lab01:\n    bmc: {address: 127.0.0.1, port: " + keyed.port() + ", user: " + keyed.user()
                    + ", password-file: " + dir.resolve("bmc.pw") + ", kg-file: ";

            Files.writeString(inventory, bmc + wrong + "}\n");
            CtysProcess.Run refused = CtysProcess.run(Files.createDirectories(dir.resolve("home")), java.util.Map.of(),
                    "never sent\r", "--inventory", inventory.toString(), "-t", "sol", "-a", "create", "lab01");
            Files.writeString(inventory, bmc + kg + "}\n");
            CtysProcess.Run run = CtysProcess.run(Files.createDirectories(dir.resolve("home")), java.util.Map.of(),
                    "through the key\r", "--inventory", inventory.toString(), "-t", "sol", "-a", "create", "lab01");

            assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(3);
            assertThat(refused.out()).contains("K_G");
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(keyed.hostReadUntil("through the key\r", WAIT)).contains("through the key").doesNotContain("never sent");
        }
    }

    @Test
    void aMachineWithoutABmcIsAConfigurationError() throws Exception {
        Files.writeString(inventory, "machines:\n  lab01: {host: 127.0.0.1}\n");
        CtysProcess.Run run = CtysProcess.run(Files.createDirectories(dir.resolve("home")), java.util.Map.of(), null,
                "--inventory", inventory.toString(), "-t", "sol", "-a", "create", "lab01");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("no BMC known for 'lab01'");
    }

    // ---- the terminal ----

    /** ctys in a tmux pane; its exit status and the terminal's modes afterwards go to files. */
    private void pane(String session, String action, Path exit, Path stty) throws IOException, InterruptedException {
        paneRunning(session, "-t sol -a " + action + " lab01", exit, stty);
    }

    private void paneRunning(String session, String ctysArgs, Path exit, Path stty) throws IOException, InterruptedException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path script = dir.resolve(session + ".sh");
        Files.writeString(script, String.join("\n",
                "export HOME='" + home + "'",
                "export CTYS_ETHERS='" + home.resolve("no-ethers") + "'",
                "unset CTYS_INVENTORY",
                "'" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '" + System.getProperty("java.class.path")
                        + "' org.ctys.Main --inventory '" + inventory + "' " + ctysArgs,
                "echo EXIT=$? > '" + exit + "'",
                "stty -a > '" + stty + "'",
                "exec sleep 600",
                ""));
        Tools.run("/usr/bin/tmux", "-L", socket, "new-session", "-d", "-x", "120", "-y", "30", "-s", session, "sh " + script);
    }

    private void keys(String session, String line) throws IOException, InterruptedException {
        Tools.run("/usr/bin/tmux", "-L", socket, "send-keys", "-t", session, "-l", line);
        Tools.run("/usr/bin/tmux", "-L", socket, "send-keys", "-t", session, "Enter");
    }

    private String screen(String session, Predicate<String> ready, String what) throws Exception {
        long until = System.nanoTime() + WAIT.toNanos();
        String s = "";
        while (System.nanoTime() < until) {
            s = Tools.run("/usr/bin/tmux", "-L", socket, "capture-pane", "-p", "-t", session).output();
            if (ready.test(s)) return s;
            Thread.sleep(100);
        }
        fail("no " + what + " within " + WAIT.toSeconds() + " s; the screen:\n" + s);
        return s;
    }

    private static void waitForFile(Path f) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            if (Files.exists(f)) return;
            Thread.sleep(100);
        }
        fail(f + " was not written within " + WAIT.toSeconds() + " s: ctys did not end");
    }


}
