package org.ctys.plugins.consoleserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ctys.testkit.CtysPane;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Proc;
import org.ctys.testkit.Tmux;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * -t console over real SSH against the STAND-IN console server of {@link StandInConsoleServer} (an
 * OpenSSH sshd whose sessions speak the front door's protocol; not ctys-consoled), with ctys on a
 * terminal (a tmux pane): the command it sends on a pseudo terminal of the pane's size, the escapes
 * it keeps and those it passes on, the server's exit statuses as ctys's, LIST in its three forms,
 * the server from the inventory reached through a jump host, and what is not a console server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class ConsoleServerClientIT {
    private static final String LIST = """
            {"consoles":[{"name":"lab07","kind":"serial","endpoint":"serial /dev/ttyS0 115200","state":"up",
              "since":"2026-11-30T08:00:00.123Z","error":null,"writer":"alice","watchers":["bob"],"spies":[],
              "logBytes":2048,"access":"rw"},
             {"name":"lab08","kind":"sol","endpoint":"sol 10.0.0.8","state":"down","since":"2026-11-30T09:00:00Z",
              "error":"BMC 10.0.0.8 does not answer","writer":null,"watchers":[],"spies":[],"logBytes":0,"access":"ro"}]}
            """;
    private Path work;
    private StandInConsoleServer server;
    private OpenSshd jump;
    private CtysRunner ctys;
    private Tmux tmux;

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("ctys-console-client-it");
        server = StandInConsoleServer.onLoopback(work.resolve("server"));
        Files.writeString(server.list, LIST);
        // a plain sshd: a jump host, and a server that is no console server
        jump = OpenSshd.onLoopback(work.resolve("jump"), server.home.resolve(".ssh/id_ed25519.pub"));
        jump.trustIn(server.home);
        ctys = new CtysRunner(server.home);
        tmux = new Tmux("console-client-it");
    }

    @AfterAll
    void stop() {
        if (tmux != null) tmux.close();
        if (jump != null) jump.close();
        if (server != null) server.close();
        Proc.deleteTree(work);
    }

    @Test
    void createSendsTheCommandOnAPseudoTerminalAndPassesEveryEscapeButLeaveToTheServer() throws Exception {
        pane("c1", "-t", "console", "-a", "create=spy,replay:20,server:" + server.server(), "lab07");
        tmux.await("c1", s -> s.contains("[stand-in console server: lab07 attached]"), "the server's first line");
        assertThat(server.commands()).contains("pty 30 120|lab07 --spy --replay 20");
        tmux.type("c1", "hello");
        tmux.await("c1", s -> s.contains("hello"), "what was typed, shown by the server");
        tmux.send("c1", "~w");
        tmux.key("c1", "Enter");
        tmux.send("c1", "~~");
        tmux.key("c1", "Enter");
        tmux.send("c1", "~?");
        tmux.await("c1", s -> s.contains("[ctys: ~. leaves at once"), "ctys's own line on ~?");
        tmux.key("c1", "Enter");
        tmux.send("c1", "~B");
        tmux.key("c1", "Enter");
        awaitTyped("lab07", "~B\r");
        tmux.send("c1", "~.");
        assertEnded("c1", 0);
        assertThat(server.typed("lab07")).isEqualTo("hello\r~w\r~~\r~?\r~B\r");
    }

    @Test
    void sinceAndForceReachTheServerAsItsWords() throws Exception {
        pane("c2", "-t", "console", "-a", "create=force,since:2026-11-30T09:00:00+01:00,server:" + server.server(), "lab08");
        tmux.await("c2", s -> s.contains("[stand-in console server: lab08 attached]"), "the server's first line");
        tmux.send("c2", "~.");
        assertEnded("c2", 0);
        assertThat(server.commands()).contains("pty 30 120|lab08 --force --since 2026-11-30T08:00:00Z");
    }

    @Test
    void theServersRefusalsBecomeCtysStatusesWithItsMessage() throws Exception {
        pane("c3", "-t", "console", "-a", "create=server:" + server.server(), "forbidden");
        String s3 = assertEnded("c3", 3);
        assertThat(s3).contains("not-allowed").contains("forbidden on 127.0.0.1:" + server.sshd.port
                + ": ctys-consoled: alice may not see forbidden");

        pane("c4", "-t", "console", "-a", "create=server:" + server.server(), "nosuch");
        assertThat(assertEnded("c4", 1)).contains("no-console").contains("ctys-consoled: no console 'nosuch'");

        pane("c5", "-t", "console", "-a", "create=server:" + server.server(), "garbled");
        assertThat(assertEnded("c5", 1)).contains("malformed").contains("unknown word '--bogus'");
    }

    @Test
    void aConsoleRemovedWhileAttachedEndsWithStatusOne() throws Exception {
        pane("c6", "-t", "console", "-a", "create=server:" + server.server(), "lab09");
        tmux.await("c6", s -> s.contains("[stand-in console server: lab09 attached]"), "the server's first line");
        tmux.type("c6", "anything");
        String s = assertEnded("c6", 1);
        assertThat(s).contains("[ctys-consoled: lab09 removed from the configuration]").contains("no-console")
                .contains("ctys-consoled: lab09 was removed from the configuration");
    }

    @Test
    void listShowsEveryConsoleAsTableRecordsAndJson() throws Exception {
        Proc.Outcome terse = ctys.run("-X", "-t", "console", "-a", "list=server:" + server.server());
        assertThat(terse.exit()).as(terse.toString()).isZero();
        assertThat(terse.out().lines().filter(l -> l.startsWith("lab07;"))).singleElement().asString()
                .contains(";ok;up;").contains("kind=serial").contains("writer=alice").contains("watchers=bob")
                .contains("log=2.0 KiB").contains("access=rw");
        assertThat(terse.out().lines().filter(l -> l.startsWith("lab08;"))).singleElement().asString()
                .contains(";ok;down;").contains("error=BMC 10.0.0.8 does not answer");
        assertThat(server.commands()).contains("nopty|list --json");

        Proc.Outcome table = ctys.run("-t", "console", "-a", "list=server:" + server.server(), "lab08");
        assertThat(table.exit()).as(table.toString()).isZero();
        assertThat(table.out()).startsWith("TARGET").contains("KIND").contains("WRITER").contains("WATCHERS").contains("LOG")
                .contains("lab08").doesNotContain("lab07");

        Proc.Outcome json = ctys.run("--output", "json", "-t", "console", "-a", "list=server:" + server.server(), "lab07", "lab99");
        assertThat(json.exit()).as("lab99 is not on the server").isEqualTo(1);
        assertThat(json.out()).contains("\"target\" : \"lab07\"").contains("\"writer\" : \"alice\"")
                .contains("\"target\" : \"lab99\"").contains("no console 'lab99' on 127.0.0.1:" + server.sshd.port);
    }

    @Test
    void theInventorysServerIsReachedThroughItsJumpHost() throws Exception {
        Path inv = work.resolve("inventory.yaml");
        Files.writeString(inv, "console-server: consoles:" + server.sshd.port + "\nmachines:\n  consoles:\n    host: 127.0.0.1\n"
                + "    ssh: {user: root, jump: [root@127.0.0.1:" + jump.port + "]}\n");
        long before = logins(jump);
        Proc.Outcome r = ctys.inventory(inv).run("-X", "-t", "console", "-a", "list", "lab07");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("lab07;ok;up;");
        assertThat(logins(jump) - before).as("logins at the jump host").isEqualTo(1);
    }

    @Test
    void aServerThatIsNoConsoleServerIsNamedAsSuch() throws Exception {
        Proc.Outcome shell = ctys.run("-t", "console", "-a", "list=server:root@127.0.0.1:" + jump.port);
        assertThat(shell.exit()).as(shell.toString()).isEqualTo(1);
        assertThat(shell.out()).contains("list-failed").contains("is it a console server (ctys-consoled)?");

        Files.writeString(server.list, "Welcome to the lab\n");
        try {
            Proc.Outcome banner = ctys.run("-t", "console", "-a", "list=server:" + server.server());
            assertThat(banner.exit()).as(banner.toString()).isEqualTo(1);
            assertThat(banner.out()).contains("not-a-console-server")
                    .contains("is not a console server: 'list --json' printed no console list");
        } finally {
            Files.writeString(server.list, LIST);
        }
    }

    @Test
    void anUnknownHostKeyOfTheServerIsRefusedBeforeAnythingIsSent() throws Exception {
        Path stranger = Files.createDirectories(work.resolve("stranger/.ssh"));
        Files.copy(server.home.resolve(".ssh/id_ed25519"), stranger.resolve("id_ed25519"));
        int before = server.commands().size();
        Proc.Outcome r = new CtysRunner(stranger.getParent()).run("-t", "console", "-a", "list=server:" + server.server());
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(server.commands()).hasSize(before);
    }

    private static long logins(OpenSshd sshd) throws IOException {
        return Files.readAllLines(sshd.log()).stream().filter(l -> l.startsWith("Accepted publickey")).count();
    }

    private void awaitTyped(String console, String end) throws Exception {
        boolean got = Proc.await(() -> {
            try {
                return server.typed(console).endsWith(end);
            } catch (IOException e) {
                return false;
            }
        }, Tmux.WAIT);
        assertThat(got).as(server.typed(console)).isTrue();
    }

    private void pane(String session, String... args) throws Exception {
        CtysPane.open(tmux, ctys, work, session, args);
    }

    /** ctys ended with {@code status}, the terminal exactly as before ({@code stty -g}); the screen then. */
    private String assertEnded(String session, int status) throws Exception {
        return CtysPane.assertEnded(tmux, work, session, status);
    }
}
