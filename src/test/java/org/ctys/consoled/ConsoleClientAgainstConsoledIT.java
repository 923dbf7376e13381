package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.ctys.testkit.CtysPane;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SocatPty;
import org.ctys.testkit.SshKey;
import org.ctys.testkit.Tmux;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * ctys's client {@code -t console} against the real console server: {@code bin/ctys-consoled} with
 * a serial console (a socat pty pair; a generator prints on the machine's end and the test reads
 * what reaches it), a serial console whose device is missing (down), a {@code cmd:} console, and a
 * console only bob may use. ctys runs on terminals (tmux panes) as alice and bob, each with a HOME
 * whose ~/.ssh holds their key and a known_hosts that trusts the daemon's host key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
class ConsoleClientAgainstConsoledIT {
    private Path dir;
    private SocatPty lab01;
    private Process generator;
    private ConsoledProcess daemon;
    private CtysRunner asAlice;
    private CtysRunner asBob;
    private Tmux tmux;

    @BeforeAll
    void start() throws Exception {
        Proc.require("socat", "socat");
        dir = Files.createTempDirectory("ctys-console-e2e-it");
        SshKey alice = SshKey.generate(dir.resolve("alice/.ssh/id_ed25519"));
        SshKey bob = SshKey.generate(dir.resolve("bob/.ssh/id_ed25519"));
        lab01 = SocatPty.start(Files.createDirectories(dir.resolve("lines/lab01")));
        Path cfg = dir.resolve("consoled.yaml");
        Files.writeString(cfg, "listen: 127.0.0.1:0\n"
                + "host-key: host_key\n"
                + "log-dir: " + dir.resolve("logs") + "\n"
                + "users:\n"
                + "  alice: {keys: " + alice.publicKey() + "}\n"
                + "  bob: {keys: " + bob.publicKey() + "}\n"
                + "access:\n"
                + "  - {consoles: [secret], rw: [bob]}\n"
                + "  - {consoles: ['*'], rw: [alice, bob]}\n"
                + "consoles:\n"
                + "  lab01: {serial: {device: " + lab01.line() + ", speed: 115200}}\n"
                + "  gone: {serial: {device: " + dir.resolve("no-such-tty") + ", speed: 9600}}\n"
                + "  sh1: {cmd: \"exec cat\"}\n"
                + "  secret: {cmd: \"exec cat\"}\n");
        daemon = ConsoledProcess.start(cfg);
        daemon.awaitSaid("lab01 up (serial " + lab01.line() + " 115200)");
        daemon.awaitSaid("sh1 up");
        // the daemon's host key, as ssh-keyscan would show it, in the known_hosts of both users
        String hostKey = Proc.ok(Proc.require("ssh-keygen", "openssh-client"), "-y", "-f", dir.resolve("host_key").toString()).out().strip();
        String[] words = hostKey.split(" ");
        String known = "[127.0.0.1]:" + daemon.port() + " " + words[0] + " " + words[1] + "\n";
        Files.writeString(dir.resolve("alice/.ssh/known_hosts"), known);
        Files.writeString(dir.resolve("bob/.ssh/known_hosts"), known);
        asAlice = new CtysRunner(dir.resolve("alice"));
        asBob = new CtysRunner(dir.resolve("bob"));
        // the machine on lab01: a numbered line every 200 ms
        generator = new ProcessBuilder(Proc.require("timeout", "coreutils"), "200", "sh", "-c",
                "i=0; while :; do printf 'lab01 says %05d\\r\\n' $i; i=$((i+1)); sleep 0.2; done > " + lab01.far())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        tmux = new Tmux("console-e2e-it");
    }

    @AfterAll
    void stop() throws Exception {
        if (tmux != null) tmux.close();
        if (generator != null) Proc.stop(generator);
        if (daemon != null) daemon.close();
        if (lab01 != null) lab01.close();
        Proc.deleteTree(dir);
    }

    private String server(String user) {
        return "server:" + user + "@127.0.0.1:" + daemon.port();
    }

    @Test
    void listShowsTheConsolesAndTheirStateAsTheDaemonHasThem() throws Exception {
        // bob writes on sh1 (he attached first) while alice lists
        Tmux t = tmux;
        pane(asBob, "l1", "-t", "console", "-a", "create=" + server("bob"), "sh1");
        t.await("l1", s -> s.contains("[ctys-consoled: sh1 up (cmd"), "bob attached to sh1");
        t.await("l1", s -> s.contains("you write"), "bob writes");

        Proc.Outcome terse = asAlice.run("-X", "-t", "console", "-a", "list=" + server("alice"));
        assertThat(terse.exit()).as(terse.toString()).isZero();
        assertThat(terse.out().lines().filter(l -> l.startsWith("lab01;"))).singleElement().asString()
                .contains(";ok;up;").contains("kind=serial").contains("endpoint=serial " + lab01.line() + " 115200")
                .contains("access=rw");
        assertThat(terse.out().lines().filter(l -> l.startsWith("sh1;"))).singleElement().asString()
                .contains(";ok;up;").contains("kind=cmd").contains("writer=bob");
        assertThat(terse.out().lines().filter(l -> l.startsWith("gone;"))).singleElement().asString()
                .contains(";ok;down;").contains("error=").contains("no-such-tty");
        assertThat(terse.out()).as("a console alice may not use is not listed to her").doesNotContain("secret");
        assertThat(terse.out()).contains("3 consoles, 2 up");

        Proc.Outcome bobs = asBob.run("-X", "-t", "console", "-a", "list=" + server("bob"));
        assertThat(bobs.exit()).as(bobs.toString()).isZero();
        assertThat(bobs.out()).contains("secret;ok;up;").contains("4 consoles, 3 up");

        Proc.Outcome table = asAlice.run("-t", "console", "-a", "list=" + server("alice"), "lab01");
        assertThat(table.exit()).as(table.toString()).isZero();
        assertThat(table.out()).startsWith("TARGET").contains("KIND").contains("WRITER").contains("lab01")
                .doesNotContain("sh1").doesNotContain("gone");

        Proc.Outcome json = asAlice.run("--output", "json", "-t", "console", "-a", "list=" + server("alice"), "sh1", "lab99");
        assertThat(json.exit()).as("lab99 is not on the server").isEqualTo(1);
        assertThat(json.out()).contains("\"target\" : \"sh1\"").contains("\"writer\" : \"bob\"").contains("\"kind\" : \"cmd\"")
                .contains("no console 'lab99' on 127.0.0.1:" + daemon.port());

        t.send("l1", "~.");
        assertEnded("l1", 0);
    }

    @Test
    void aliceAttachesTypesAsksWhoAndLeavesWhileBobsSpyingNeverReachesTheLine() throws Exception {
        Tmux t = tmux;
        pane(asAlice, "a1", "-t", "console", "-a", "create=" + server("alice"), "lab01");
        // the message is longer than the pane is wide: it wraps (and tmux trims a space at the wrap), so compared without blanks
        String attached = ("[ctys-consoled: lab01 up (serial " + lab01.line() + " 115200); you write; ~? for help]").replaceAll("\\s", "");
        t.await("a1", s -> s.replaceAll("\\s", "").contains(attached),
                "alice's attach message", Duration.ofSeconds(60));
        t.await("a1", s -> s.matches("(?s).*you write.*lab01 says \\d{5}.*"), "the console's output after the attach");

        t.type("a1", "typed-by-alice");
        lab01.farAwait(s -> s.contains("typed-by-alice\r"), Duration.ofSeconds(20));

        pane(asBob, "b1", "-t", "console", "-a", "create=spy," + server("bob"), "lab01");
        t.await("b1", s -> s.contains("you spy"), "bob's spy message");
        t.await("b1", s -> s.matches("(?s).*you spy.*lab01 says \\d{5}.*"), "the console's output for the spy");
        t.type("b1", "typed-by-the-spy");
        t.await("b1", s -> s.contains("you spy; typing dropped"), "the spy's reminder");

        t.send("a1", "~w");
        t.await("a1", s -> s.contains("[ctys-consoled: lab01: alice writes; watching: nobody; spying: bob]"), "the daemon's who-list");
        t.type("a1", "second-line");
        String far = lab01.farAwait(s -> s.contains("second-line\r"), Duration.ofSeconds(20));
        assertThat(far).as("the line got alice's typing only: no escape, nothing of the spy").isEqualTo("typed-by-alice\rsecond-line\r");

        t.send("a1", "~.");
        assertEnded("a1", 0);
        t.send("b1", "~.");
        assertEnded("b1", 0);
        assertThat(lab01.farAwait(s -> true, Duration.ofSeconds(1))).isEqualTo("typed-by-alice\rsecond-line\r");
    }

    @Test
    void replayShowsTheLastLinesFromTheLogFirst() throws Exception {
        // five lines that are in the log before the attach
        Proc.await(() -> logLines() >= 10, Duration.ofSeconds(20));
        pane(asAlice, "r1", "-t", "console", "-a", "create=replay:5," + server("alice"), "lab01");
        String s = tmux.await("r1", x -> x.contains("[ctys-consoled: lab01 up"), "the attach message");
        int banner = s.indexOf("[ctys-consoled: lab01 up");
        long before = s.substring(0, banner).lines().filter(l -> l.matches("lab01 says \\d{5}")).count();
        assertThat(before).as("the replayed lines before the attach message:\n" + s).isEqualTo(5);
        tmux.send("r1", "~.");
        assertEnded("r1", 0);
        assertThat(Proc.await(() -> listed("lab01").contains("writer=-"), Duration.ofSeconds(20)))
                .as("after ~. the daemon has alice no longer attached: " + listed("lab01") + "\n" + daemon.said()).isTrue();
    }

    /** lab01's row of alice's {@code -X} list. */
    private String listed(String console) {
        Proc.Outcome r = asAlice.run("-X", "-t", "console", "-a", "list=" + server("alice"), console);
        return r.out().lines().filter(l -> l.startsWith(console + ";")).findFirst().orElse(r.toString());
    }

    @Test
    void aConsoleAliceMayNotUseIsRefusedWithTheDaemonsLineAndAnUnknownOneFails() throws Exception {
        pane(asAlice, "n1", "-t", "console", "-a", "create=" + server("alice"), "secret");
        assertThat(assertEnded("n1", 3)).contains("not-allowed")
                .contains("ctys-consoled: you (alice) may not use console 'secret'");

        pane(asAlice, "n2", "-t", "console", "-a", "create=" + server("alice"), "lab99");
        assertThat(assertEnded("n2", 1)).contains("no-console").contains("ctys-consoled: no such console 'lab99'");
    }

    private long logLines() {
        try {
            return ConsoleLog.last(dir.resolve("logs"), "lab01", 20).stream().filter(l -> !l.mark()).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private void pane(CtysRunner ctys, String session, String... args) throws IOException {
        CtysPane.open(tmux, ctys, dir, session, args);
    }

    /** ctys ended with {@code status}, the terminal exactly as before ({@code stty -g}); the screen then. */
    private String assertEnded(String session, int status) throws Exception {
        return CtysPane.assertEnded(tmux, dir, session, status);
    }
}
