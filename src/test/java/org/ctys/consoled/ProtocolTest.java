package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The front door's commands: their exit statuses and one-line errors, list and help. */
class ProtocolTest {

    private final HubFixture f = new HubFixture();
    private MemoryLink lab07;

    @BeforeEach
    void start() throws Exception {
        lab07 = f.opener.link("lab07");
        f.opener.link("pdu1");
        Access access = new Access(List.of(
                new Access.Rule(List.of("lab*"), List.of("alice", "@ops"), List.of("rita")),
                new Access.Rule(List.of("pdu1"), List.of("alice"), List.of())), Map.of("ops", Set.of("bob")));
        f.hub.start(HubFixture.config(access, HubFixture.serial("lab07", "/dev/ttyS0"),
                new ConsoleDef("pdu1", new Endpoint.Command("telnet pdu1"), Set.of())));
        assertThat(Proc.await(() -> f.hub.consoles().stream().allMatch(c -> c.state() == Console.State.UP),
                Duration.ofSeconds(10))).isTrue();
    }

    @AfterEach
    void close() { f.close(); }

    private MemorySession run(String user, String command, int status) {
        MemorySession s = f.session(user, command);
        assertThat(s.exitStatus()).as(command + ": " + s.screen()).isEqualTo(status);
        return s;
    }

    @Test
    void malformedCommandsAreRefusedWithStatusTwoNamingTheWord() {
        assertThat(run("alice", "lab07 --spy --force", 2).screen())
                .isEqualTo("ctys-consoled: --spy and --force exclude each other; 'help' shows the commands\r\n");
        assertThat(run("alice", "lab07 --replay 0", 2).screen())
                .contains("ctys-consoled: --replay '0': expected a number of lines from 1 to 100000");
        assertThat(run("alice", "lab07 --replay", 2).screen()).contains("ctys-consoled: --replay needs a value");
        assertThat(run("alice", "lab07 --since yesterday", 2).screen()).contains("ctys-consoled: --since 'yesterday': expected an instant");
        assertThat(run("alice", "lab07 --replay 5 --since 1h", 2).screen()).contains("give one of --replay and --since, once");
        assertThat(run("alice", "lab07 --tail", 2).screen()).contains("ctys-consoled: unknown word '--tail'");
        assertThat(run("alice", "list --all", 2).screen()).contains("ctys-consoled: unknown word '--all' after list (valid: --json)");
        assertThat(lab07.typed()).isEmpty();
    }

    @Test
    void anUnknownConsoleIsStatusOneAndOneNotAllowedStatusThree() {
        assertThat(run("alice", "lab99", 1).screen()).isEqualTo("ctys-consoled: no such console 'lab99'\r\n");
        assertThat(run("rita", "pdu1", 3).screen()).isEqualTo("ctys-consoled: you (rita) may not use console 'pdu1'\r\n");
        assertThat(run("dora", "lab07", 3).screen()).contains("you (dora) may not use console 'lab07'");
    }

    @Test
    void listShowsOnlyTheConsolesTheUserMaySee() {
        MemorySession alice = f.session("alice", "lab07");
        alice.await("you write");
        MemorySession bob = f.session("bob", "lab07 --spy");
        bob.await("you spy");

        String table = run("rita", "list", 0).screen();
        assertThat(table).isEqualTo("NAME   KIND    STATE  WRITER  WATCHERS  LOG\r\n"
                + "lab07  serial  up     alice   bob(spy)  " + org.ctys.grammar.Sizes.approximate(0) + "\r\n");
        String json = run("alice", "list --json", 0).screen();
        assertThat(json).contains("{\"name\":\"lab07\",\"kind\":\"serial\"", "\"writer\":\"alice\",\"watchers\":[],\"spies\":[\"bob\"]",
                "\"access\":\"rw\"", "{\"name\":\"pdu1\",\"kind\":\"cmd\",\"endpoint\":\"cmd telnet\",\"state\":\"up\"");
        assertThat(run("rita", "list --json", 0).screen()).doesNotContain("pdu1");
    }

    @Test
    void helpAndAPlainShellShowTheCommandsAndTheUsersConsoles() {
        String help = run("rita", "help", 0).screen();
        assertThat(help).contains("<console> [--spy|--force] [--replay <n>|--since <time>]", "list [--json]", "~f take the write",
                "lab07  serial  up").doesNotContain("pdu1");
        assertThat(run("rita", "", 0).screen()).isEqualTo(help);
    }

    @Test
    void sinceReplaysFromTheLog() {
        lab07.print("early\r\n");
        assertThat(Proc.await(() -> f.journal("lab07").text().contains("early"), Duration.ofSeconds(10))).isTrue();
        MemorySession s = f.session("rita", "lab07 --since 2026-11-30T07:00:00Z");
        s.await("early");
        s.await("you watch (read-only)");
    }

    /** A cmd: console is described by its program only: its line may carry a password, and every user of the console reads it. */
    @Test
    void aCommandConsoleShowsItsProgramAndNothingOfItsArguments() {
        assertThat(new Endpoint.Command("ipmitool -I lanplus -H 10.0.0.9 -U admin -P s3cret sol activate").describe())
                .isEqualTo("cmd ipmitool");
        assertThat(new Endpoint.Command("tty; exec cat").describe()).isEqualTo("cmd tty");
        assertThat(new Endpoint.Command("  socat STDIO UNIX-CONNECT:/run/x").describe()).isEqualTo("cmd socat");
        assertThat(new Endpoint.Command(";").describe()).isEqualTo("cmd");
    }
}
