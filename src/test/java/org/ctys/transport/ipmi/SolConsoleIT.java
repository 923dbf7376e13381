package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.Proc;
import org.ctys.testkit.Tmux;
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
    private Tmux tmux;

    @BeforeEach
    void start() throws IOException {
        tmux = new Tmux("sol-it");
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
        if (tmux != null) tmux.close();
        if (sim != null) sim.close();
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
        tmux.send("one", "~.");
        waitForFile(stty); // the script's last file: the exit status and both stty -g are written before it
        assertThat(Files.readString(exit).strip()).isEqualTo("EXIT=0");
        assertThat(Files.readString(stty)).contains(" icanon").contains(" echo ");
        assertThat(Files.readString(Path.of(stty + ".g-after"))).as("stty -g after ~., the line speed included")
                .isEqualTo(Files.readString(Path.of(stty + ".g-before")));
        assertThat(sim.hostReceived()).doesNotContain("~.");
        screen("one", s -> s.contains("left the console of lab01"), "the farewell");
    }

    /**
     * SOL has a break: ~? lists it and ~B sends it (the BMC acknowledges the payload's break
     * operation), none of the escape reaches the machine, and the console goes on; --log recorded
     * what the machine printed, stamped, between the marks, and not what was typed.
     */
    @Test
    void tildeBSendsTheBreakAndTheLogHasWhatTheMachinePrinted() throws Exception {
        Path exit = dir.resolve("exit");
        Path log = dir.resolve("lab01.log");
        paneRunning("brk", "--log " + log + " -t sol -a create lab01", exit, dir.resolve("stty"));
        screen("brk", s -> s.contains("attached to the console of lab01"), "the banner");
        sim.hostWrite("login: before the break\r\n");
        screen("brk", s -> s.contains("login: before the break"), "the host's text");
        keys("brk", "typed-by-me");
        assertThat(sim.hostReadUntil("typed-by-me\r", WAIT)).endsWith("typed-by-me\r");
        tmux.send("brk", "~?");
        screen("brk", s -> s.contains("~B  send a break"), "the help with the break");
        tmux.send("brk", "~B");
        sim.hostWrite("after the break\r\n");
        String shown = screen("brk", s -> s.contains("after the break"), "the console going on after the break");
        assertThat(shown).doesNotContain("no break").doesNotContain("left the console");
        tmux.send("brk", "~.");
        waitForFile(exit);
        assertThat(Files.readString(exit).strip()).isEqualTo("EXIT=0");
        assertThat(sim.hostReceived()).doesNotContain("~");
        String stamp = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ";
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).first().asString().matches(stamp + "-- ctys: attached to the console of lab01");
        assertThat(lines).last().asString().matches(stamp + "-- ctys: ended: left with ~\\.");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches(stamp + "login: before the break"))
                .anySatisfy(l -> assertThat(l).matches(stamp + "after the break"));
        assertThat(String.join("\n", lines)).as("typed, never echoed by this machine").doesNotContain("typed-by-me");
    }

    /** The overall --timeout ends a console as it ends a shell: reported, status 124, the terminal as it was. */
    @Test
    void theOverallTimeoutLeavesTheConsoleWith124() throws Exception {
        Path exit = dir.resolve("exit");
        Path stty = dir.resolve("stty");
        paneRunning("late", "--timeout 3s -t sol -a create lab01", exit, stty);
        screen("late", s -> s.contains("attached to the console of lab01"), "the banner");
        waitForFile(stty); // the script's last file: the exit status and both stty -g are written before it
        assertThat(Files.readString(exit).strip()).isEqualTo("EXIT=124");
        screen("late", s -> s.contains("--timeout of 3s ran out; the console was left"), "the report");
        assertThat(Files.readString(Path.of(stty + ".g-after"))).isEqualTo(Files.readString(Path.of(stty + ".g-before")));
    }

    /**
     * A SIGINT from another process (the keyboard's Ctrl-C is a byte for the machine) ends a
     * console as it ends a shell: reported, status 130, the terminal exactly as it was.
     */
    @Test
    void aSigintFromAnotherProcessLeavesTheConsoleWith130() throws Exception {
        Path exit = dir.resolve("exit");
        Path before = dir.resolve("int-before");
        Path after = dir.resolve("int-after");
        Path pid = dir.resolve("int-pid");
        Path home = Files.createDirectories(dir.resolve("home"));
        Path script = dir.resolve("int.sh");
        Files.writeString(script, String.join("\n",
                "stty -g > " + Proc.shellQuote(before.toString()),
                "echo $$ > " + Proc.shellQuote(pid.toString()),
                "exec " + new CtysRunner(home).shellLine("--inventory", inventory.toString(), "-t", "sol", "-a", "create", "lab01"),
                ""));
        Path outer = dir.resolve("int-outer.sh");
        Files.writeString(outer, String.join("\n",
                "sh " + Proc.shellQuote(script.toString()),
                "echo EXIT=$? > " + Proc.shellQuote(exit.toString()),
                "stty -g > " + Proc.shellQuote(after.toString()),
                "exec sleep 600",
                ""));
        tmux.open("int", 120, 30, "sh " + Proc.shellQuote(outer.toString()));
        screen("int", s -> s.contains("attached to the console of lab01"), "the banner");
        tmux.key("int", "C-c");
        assertThat(sim.hostReadUntil("\u0003", WAIT)).as("the keyboard's Ctrl-C goes to the machine").endsWith("\u0003");
        Proc.ok("/bin/kill", "-INT", Files.readString(pid).strip());
        waitForFile(exit);
        long until = System.nanoTime() + WAIT.toNanos();
        while (!(Files.exists(after) && Files.size(after) > 0) && System.nanoTime() < until) Thread.sleep(50);
        assertThat(Files.readString(exit).strip()).isEqualTo("EXIT=130");
        screen("int", s -> s.contains("interrupted; the console was left"), "the report");
        assertThat(Files.readString(after)).isEqualTo(Files.readString(before));
    }

    @Test
    void aConsoleHeldByAnotherSessionIsRefusedUntilForceTakesItOver() throws Exception {
        pane("holder", "create", dir.resolve("holder-exit"), dir.resolve("holder-stty"));
        screen("holder", s -> s.contains("attached to the console of lab01"), "the first console");

        Proc.Outcome refused = new CtysRunner(Files.createDirectories(dir.resolve("home"))).run(
                "--inventory", inventory.toString(), "-t", "sol", "-a", "create", "lab01");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.out()).contains("in use by another session; FORCE takes it over");

        Path exit = dir.resolve("exit");
        pane("taker", "create=force", exit, dir.resolve("stty"));
        screen("taker", s -> s.contains("attached to the console of lab01"), "the console taken over");
        sim.hostWrite("for the new owner\r\n");
        screen("taker", s -> s.contains("for the new owner"), "the host's text in the new console");

        // the session that lost the console finds out at the next key typed there: the BMC no longer takes its data
        tmux.send("holder", "x");
        // (or at its 5 s check, where the BMC names another session as the console's owner)
        screen("holder", s -> s.contains("left the console of lab01:")
                && (s.contains("took the console over") || s.contains("was taken over by another session")),
                "the first console's end");
        assertThat(sim.hostReceived()).doesNotContain("x");
        tmux.send("taker", "~.");
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
        tmux.send("boot", "~.");
        waitForFile(exit);
        assertThat(Files.readString(exit).strip()).isEqualTo("EXIT=0");
    }

    @Test
    void pipedInputIsSentAndTheConsoleIsLeftAtItsEnd() throws Exception {
        Proc.Outcome run = new CtysRunner(Files.createDirectories(dir.resolve("home"))).stdin("from a pipe\r").run(
                "--inventory", inventory.toString(), "-t", "sol", "-a", "create", "lab01");

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
            Proc.Outcome refused = new CtysRunner(Files.createDirectories(dir.resolve("home"))).stdin("never sent\r").run("--inventory", inventory.toString(), "-t", "sol", "-a", "create", "lab01");
            Files.writeString(inventory, bmc + kg + "}\n");
            Proc.Outcome run = new CtysRunner(Files.createDirectories(dir.resolve("home"))).stdin("through the key\r").run("--inventory", inventory.toString(), "-t", "sol", "-a", "create", "lab01");

            assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(3);
            assertThat(refused.out()).contains("K_G");
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(keyed.hostReadUntil("through the key\r", WAIT)).contains("through the key").doesNotContain("never sent");
        }
    }

    @Test
    void aMachineWithoutABmcIsAConfigurationError() throws Exception {
        Files.writeString(inventory, "machines:\n  lab01: {host: 127.0.0.1}\n");
        Proc.Outcome run = new CtysRunner(Files.createDirectories(dir.resolve("home"))).run(
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
        List<String> args = new ArrayList<>(List.of("--inventory", inventory.toString()));
        args.addAll(List.of(ctysArgs.split(" ")));
        tmux.open(session, 120, 30, new CtysRunner(home).terminalScript(dir.resolve(session + ".sh"), exit, stty,
                args.toArray(String[]::new)));
    }

    private void keys(String session, String line) throws IOException, InterruptedException {
        tmux.type(session, line);
    }

    private String screen(String session, Predicate<String> ready, String what) throws Exception {
        return tmux.await(session, ready, what, WAIT);
    }

    /** Until {@code f} has its content: the shell creates a file before it writes to it. */
    private static void waitForFile(Path f) throws InterruptedException, IOException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            if (Files.exists(f) && Files.size(f) > 0) return;
            Thread.sleep(100);
        }
        fail(f + " was not written within " + WAIT.toSeconds() + " s: ctys did not end");
    }


}
