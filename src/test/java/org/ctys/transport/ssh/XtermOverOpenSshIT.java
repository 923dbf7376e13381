package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SshKey;
import org.ctys.testkit.Xvfb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ctys -t xterm -a create=l:LABEL lab1} on a real X server (Xvfb) against a real OpenSSH
 * server: ctys returns at once, a window with that title appears and stays after ctys has ended,
 * and the shell inside it reaches the host (the daemon's ForceCommand leaves a marker file before
 * it starts the shell). gnome-terminal needs a D-Bus session and is not started here: its command
 * line is checked by the unit tests only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class XtermOverOpenSshIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TITLE = "ctys-it-window";

    private Path work;
    private Path home;
    private Path marker;
    private OpenSshd sshd;
    private Xvfb xvfb;
    private int display;

    @BeforeAll
    void start() throws Exception {
        Proc.require("xterm", "xterm");
        work = Files.createTempDirectory("ctys-xterm-it");
        marker = work.resolve("reached");
        Path key = SshKey.generate(work.resolve("lab_key")).privateKey();
        // the login leaves the marker, then gives the usual interactive shell
        sshd = OpenSshd.onLoopback(work.resolve("sshd"), Path.of(key + ".pub"),
                List.of("ForceCommand touch '" + marker + "'; exec sh -i"));
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
        xvfb = Xvfb.start(work.resolve("xvfb.log"));
        display = xvfb.display();
    }

    @AfterAll
    void stop() {
        // the window was started detached from ctys: find it by its command line
        ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(c -> c.contains("xterm") && c.contains(TITLE)).orElse(false))
                .forEach(h -> {
                    h.descendants().forEach(ProcessHandle::destroyForcibly);
                    h.destroyForcibly();
                });
        if (xvfb != null) xvfb.close();
        if (sshd != null) sshd.kill();
    }

    @Test
    void aWindowTitledWithTheLabelOpensAShellOnTheTarget() throws Exception {
        long t0 = System.nanoTime();
        Proc.Outcome r = ctys(System.getenv("PATH"), "-t", "xterm", "-a", "create=l:" + TITLE, "lab1");
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("lab1").contains("opened");
        assertThat(took).as("ctys does not wait for the window").isLessThan(10_000);
        // ctys has ended; the window is there and the shell inside it logged in
        String tree = poll(() -> {
            String t = xvfb.windows();
            return t.contains("\"" + TITLE + "\"") ? t : null;
        }, "a window titled " + TITLE);
        assertThat(tree).contains("\"" + TITLE + "\"");
        poll(() -> Files.exists(marker) ? "yes" : null, "the shell in the window logging in to lab1 (" + marker + ")");
        List<ProcessHandle> windows = ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(c -> c.contains("xterm") && c.contains(TITLE)).orElse(false))
                .toList();
        assertThat(windows).as("the xterm outlives ctys").isNotEmpty();
    }

    @Test
    void gnomeTerminalOpensTheShellTooOnItsSessionBus() throws Exception {
        Proc.require("/usr/bin/gnome-terminal", "gnome-terminal");
        Proc.require("/usr/bin/dbus-daemon", "dbus");
        String title = TITLE + "-gterm";
        Files.deleteIfExists(marker);
        // gnome-terminal hands the window to gnome-terminal-server over the session bus
        ProcessBuilder busBuilder = new ProcessBuilder("/usr/bin/dbus-daemon", "--session", "--nofork", "--print-address=1")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        // services the bus starts (gnome-terminal-server) inherit its environment: the display, and
        // a UTF-8 locale, without which gnome-terminal-server refuses to start
        busBuilder.environment().put("DISPLAY", ":" + display);
        busBuilder.environment().put("LANG", "C.UTF-8");
        busBuilder.environment().remove("LC_ALL");
        Process bus = busBuilder.start();
        try {
            String address = new java.io.BufferedReader(new java.io.InputStreamReader(bus.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
            assertThat(address).as("the session bus address").startsWith("unix:");
            Proc.Outcome r = ctys(System.getenv("PATH"), Map.of("DBUS_SESSION_BUS_ADDRESS", address),
                    "-t", "gterm", "-a", "create=l:" + title, "lab1");
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            poll(() -> {
                String t = xvfb.windows();
                return t.contains("\"" + title + "\"") ? t : null;
            }, "a gnome-terminal window titled " + title);
            poll(() -> Files.exists(marker) ? "yes" : null, "the shell in the gnome-terminal window logging in to lab1");
        } finally {
            Proc.kill(bus);
        }
    }

    @Test
    void withoutXtermOnPathNothingStartsAndTheStatusIsThree() throws Exception {
        Path empty = Files.createDirectories(work.resolve("empty-bin"));
        Proc.Outcome r = ctys(empty.toString(), "-t", "xterm", "-a", "create=l:never-" + TITLE, "lab1");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(3);
        assertThat(r.err()).contains("xterm not found on PATH (Debian package xterm)");
    }

    interface Check {
        String get() throws Exception;
    }

    private static String poll(Check check, String what) throws Exception {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            String s = check.get();
            if (s != null) return s;
            Thread.sleep(200);
        }
        fail("no " + what + " within " + WAIT.toSeconds() + " s");
        return null;
    }

    private Proc.Outcome ctys(String path, String... args) {
        return ctys(path, Map.of(), args);
    }

    private Proc.Outcome ctys(String path, Map<String, String> extraEnv, String... args) {
        return new CtysRunner(home).env(extraEnv).env("DISPLAY", ":" + display).env("PATH", path).run(args);
    }
}
