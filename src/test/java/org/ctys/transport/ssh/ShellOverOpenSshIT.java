package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.function.Predicate;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SshKey;
import org.ctys.testkit.Tmux;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ctys -t cli -a create lab1} as a sysadmin types it: ctys on a real terminal (a detached
 * tmux session of a fixed size) opening a shell on a real OpenSSH server; typing, window size and
 * its change, the exit status and the local terminal after ctys has ended. And the same without a
 * terminal: input piped in, no pseudo terminal unless -z PTY.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class ShellOverOpenSshIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Tmux tmux;
    private Path work;
    private Path home;
    private OpenSshd sshd;

    @BeforeAll
    void start() throws Exception {
        tmux = new Tmux("shell-it");
        work = Files.createTempDirectory("ctys-shell-it");
        Path key = SshKey.generate(work.resolve("lab_key")).privateKey();
        sshd = OpenSshd.onLoopback(work.resolve("sshd"), Path.of(key + ".pub"));
        home = Files.createDirectories(work.resolve("home"));
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Files.copy(key, ssh.resolve("id_ed25519"));
        Files.writeString(ssh.resolve("config"), """
                Host lab*
                    HostName 127.0.0.1
                    Port %d
                    User %s
                """.formatted(sshd.port, System.getProperty("user.name")));
        sshd.trustIn(home);
    }

    @AfterAll
    void stop() {
        if (tmux != null) tmux.close();
        if (sshd != null) sshd.kill();
    }

    @Test
    void aShellOnATerminalFollowsItsSizeAndEndsWithItsExitStatus() throws Exception {
        String session = "shell";
        Path exitFile = work.resolve("exit");
        Path sttyFile = work.resolve("stty");
        Path before = work.resolve("stty.g-before");
        Path after = work.resolve("stty.g-after");
        Path script = work.resolve("run.sh");
        // ctys, then its exit status and the local terminal's modes once it has ended, in the same pane
        tmux.open(session, 100, 30, new CtysRunner(home).terminalScript(script, exitFile, sttyFile, "-t", "cli", "-a", "create", "lab1"));
        // the remote shell's prompt; its TERM is the local one
        screen(session, s -> s.lines().anyMatch(l -> l.matches(".*[#$]\\s*")), "the remote prompt");
        keys(session, "echo hello-$((6*7)) $TERM");
        String shown = screen(session, s -> s.contains("hello-42 "), "hello-42");
        assertThat(shown).containsPattern("hello-42 (tmux|screen)");
        keys(session, "stty size");
        screen(session, s -> s.contains("\n30 100"), "stty size 30 100");
        tmux.resize(session, 120, 40);
        // the window change travels as a signal to ctys and a request to sshd, beside the typed keys:
        // a command typed at the same instant may still see the old size, so ask again until the new one shows
        Predicate<String> resized = s -> s.contains("\n40 120") || s.startsWith("40 120");
        long deadline = System.nanoTime() + WAIT.toNanos();
        do keys(session, "clear; stty size");
        while (!tmux.showsWithin(session, resized, Duration.ofSeconds(2)) && System.nanoTime() < deadline);
        screen(session, resized, "stty size 40 120 after the resize");
        // raw mode: Ctrl-C stops the remote command, not ctys
        keys(session, "sleep 120");
        Thread.sleep(300);
        tmux.key(session, "C-c");
        keys(session, "echo after-$((1+1))");
        screen(session, s -> s.contains("\nafter-2"), "after-2 once Ctrl-C stopped the remote sleep");
        keys(session, "exit 7");
        long until = System.nanoTime() + WAIT.toNanos();
        while (!(Files.exists(sttyFile) && Files.size(sttyFile) > 0) && System.nanoTime() < until) Thread.sleep(50);
        assertThat(exitFile).as(capture(session)).exists();
        assertThat(Files.readString(exitFile).strip()).isEqualTo("EXIT=7");
        String modes = Files.readString(sttyFile);
        assertThat(modes).as("the local terminal is back to canonical mode with echo").containsPattern("(^|\\s)icanon(\\s|$)")
                .containsPattern("(^|\\s)echo(\\s|$)").containsPattern("(^|\\s)isig(\\s|$)")
                .containsPattern("(^|\\s)icrnl(\\s|$)").containsPattern("(^|\\s)opost(\\s|$)");
        // every setting exactly as it was, the line speed included (b0 would hang up a serial line)
        assertThat(Files.readString(after)).as("stty -g after the shell").isEqualTo(Files.readString(before));
    }

    /**
     * The shell is a console like the others: ~? lists its escapes (no break: an SSH shell has none
     * that means anything), ~B says so and sends nothing, ~. leaves with status 0 and the terminal
     * exactly as it was; --log recorded what the shell printed, stamped, between the marks, and
     * not what was typed without echo.
     */
    @Test
    void tildeDotLeavesTheShellWithStatusZeroAndTheLogHasWhatItPrinted() throws Exception {
        String session = "leave";
        Path exitFile = work.resolve("leave-exit");
        Path sttyFile = work.resolve("leave-stty");
        Path log = work.resolve("leave.log");
        tmux.open(session, 100, 30, new CtysRunner(home).terminalScript(work.resolve("leave.sh"), exitFile, sttyFile,
                "--log", log.toString(), "-t", "cli", "-a", "create", "lab1"));
        screen(session, s -> s.lines().anyMatch(l -> l.matches(".*[#$]\\s*")), "the remote prompt");
        keys(session, "echo log-$((6*7))");
        screen(session, s -> s.contains("\nlog-42"), "log-42");
        keys(session, "stty -echo; read secret; stty echo; echo got-${#secret}");
        Thread.sleep(300);
        keys(session, "hidden-word");
        screen(session, s -> s.contains("got-11"), "got-11: the word read without echo");
        tmux.send(session, "~?");
        String help = screen(session, s -> s.contains("~?  this help"), "the escape help");
        assertThat(help).contains("~.  leave the console").doesNotContain("send a break");
        tmux.send(session, "~B");
        screen(session, s -> s.contains("this console has no break; nothing sent"), "no break on a shell");
        tmux.send(session, "~.");
        long until = System.nanoTime() + WAIT.toNanos();
        while (!(Files.exists(sttyFile) && Files.size(sttyFile) > 0) && System.nanoTime() < until) Thread.sleep(50);
        assertThat(exitFile).as(capture(session)).exists();
        assertThat(Files.readString(exitFile).strip()).isEqualTo("EXIT=0");
        assertThat(Files.readString(Path.of(sttyFile + ".g-after"))).as("stty -g after ~.")
                .isEqualTo(Files.readString(Path.of(sttyFile + ".g-before")));
        String stamp = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ";
        java.util.List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(lines.get(0)).matches(stamp + "-- ctys: attached to a shell on lab1");
        assertThat(lines.get(lines.size() - 1)).matches(stamp + "-- ctys: ended: left with ~\\.");
        assertThat(lines).allSatisfy(l -> assertThat(l).matches(stamp + ".*"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches(stamp + "log-42"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches(stamp + "got-11"));
        assertThat(String.join("\n", lines)).doesNotContain("hidden-word").doesNotContain("~?").doesNotContain("no break");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
    }

    /**
     * In raw mode the keyboard's Ctrl-C is a byte for the remote, so a SIGINT that reaches ctys was
     * sent by another process: it ends the session as --timeout does, with the report and status
     * 130, and the terminal is given back exactly as it was.
     */
    @Test
    void aSigintFromAnotherProcessEndsTheShellWithItsReport() throws Exception {
        String session = "sigint";
        Path exitFile = work.resolve("sigint-exit");
        Path before = work.resolve("sigint-stty-before");
        Path after = work.resolve("sigint-stty-after");
        Path pid = work.resolve("sigint-pid");
        Path script = work.resolve("sigint.sh");
        Files.writeString(script, String.join("\n",
                "stty -g > " + Proc.shellQuote(before.toString()),
                "echo $$ > " + Proc.shellQuote(pid.toString()),
                // exec: the pane's shell becomes ctys, so its pid is known; the rest runs in a second pane
                "exec " + new CtysRunner(home).shellLine("-t", "cli", "-a", "create", "lab1"),
                ""));
        Path outer = work.resolve("sigint-outer.sh");
        Files.writeString(outer, String.join("\n",
                "sh " + Proc.shellQuote(script.toString()),
                "echo EXIT=$? > " + Proc.shellQuote(exitFile.toString()),
                "stty -g > " + Proc.shellQuote(after.toString()),
                "exec sleep 600",
                ""));
        tmux.open(session, 100, 30, "sh " + Proc.shellQuote(outer.toString()));
        screen(session, s -> s.lines().anyMatch(l -> l.matches(".*[#$]\\s*")), "the remote prompt");
        keys(session, "sleep 120");
        Thread.sleep(300);
        Proc.ok("/bin/kill", "-INT", Files.readString(pid).strip());
        long until = System.nanoTime() + WAIT.toNanos();
        while (!(Files.exists(after) && Files.size(after) > 0) && System.nanoTime() < until) Thread.sleep(50);
        String shown = capture(session);
        assertThat(exitFile).as(shown).exists();
        assertThat(Files.readString(exitFile).strip()).as(shown).isEqualTo("EXIT=130");
        assertThat(shown).contains("INTERRUPTED").contains("interrupted; the shell was closed");
        assertThat(Files.readString(after)).as("stty -g after the shell").isEqualTo(Files.readString(before));
    }

    @Test
    void withoutATerminalInputIsPipedWithoutAPseudoTerminal() throws Exception {
        Proc.Outcome r = ctys("echo piped-$((6*7)); tty; exit 5\n", "-t", "cli", "-a", "create", "lab1");
        assertThat(r.exit()).as(r.err()).isEqualTo(5);
        assertThat(r.out()).isEqualTo("piped-42\nnot a tty\n");
    }

    /** More than the session holds back at once (1 MiB) arrives whole and in order. */
    @Test
    void aLargeOutputArrivesWholeThroughTheSession() throws Exception {
        Proc.Outcome r = ctys("seq 1 300000; exit 4\n", "-t", "cli", "-a", "create", "lab1");
        assertThat(r.exit()).as(r.err()).isEqualTo(4);
        String[] lines = r.out().split("\n");
        assertThat(lines).hasSize(300000);
        assertThat(lines[0]).isEqualTo("1");
        assertThat(lines[299999]).isEqualTo("300000");
    }

    @Test
    void minusZPtyForcesAPseudoTerminalWithoutOne() throws Exception {
        Proc.Outcome r = ctys("tty; exit 0\n", "-z", "PTY", "-t", "cli", "-a", "create", "lab1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("/dev/pts/");
    }

    @Test
    void anUnknownHostKeyIsStatusThreeAndNoShell() throws Exception {
        Path stranger = Files.createDirectories(work.resolve("stranger"));
        Path ssh = Files.createDirectories(stranger.resolve(".ssh"));
        Files.copy(home.resolve(".ssh/id_ed25519"), ssh.resolve("id_ed25519"));
        Files.copy(home.resolve(".ssh/config"), ssh.resolve("config"));
        Proc.Outcome r = ctys(stranger, "echo should-not-run\n", "-t", "cli", "-a", "create", "lab1");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(3);
        assertThat(r.out() + r.err()).doesNotContain("should-not-run").contains("--accept-new-host-keys");
    }

    @Test
    void severalTargetsAreAUsageError() throws Exception {
        Proc.Outcome r = ctys("", "-t", "cli", "-a", "create", "lab1", "lab2");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("exactly one target, not 2 (lab1, lab2)").contains("CMD:");
    }

    private void keys(String session, String line) {
        tmux.type(session, line);
    }

    private String capture(String session) {
        return tmux.screen(session);
    }

    /** Polls the pane until {@code ready} holds; fails with what is on it after {@link #WAIT}. */
    private String screen(String session, Predicate<String> ready, String what) throws InterruptedException {
        return tmux.await(session, ready, what, WAIT);
    }

    private Proc.Outcome ctys(String input, String... args) {
        return ctys(home, input, args);
    }

    private static Proc.Outcome ctys(Path home, String input, String... args) {
        return new CtysRunner(home).stdin(input).run(args);
    }
}
