package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A console that drops is reopened alone with back-off (a fake clock); a reload keeps what did not change. */
class ReconnectReloadTest {

    private final HubFixture f = new HubFixture();

    @AfterEach
    void close() { f.close(); }

    private static List<Duration> seconds(long... s) {
        return java.util.Arrays.stream(s).mapToObj(Duration::ofSeconds).toList();
    }

    private void awaitState(String name, Console.State state) {
        assertThat(Proc.await(() -> f.hub.console(name).map(c -> c.state() == state).orElse(false), Duration.ofSeconds(10)))
                .as(name + " " + state + "; daemon said: " + f.said()).isTrue();
    }

    @Test
    void aConsoleThatCannotBeOpenedIsRetriedWithDoublingWaitsUpToAMinute() throws Exception {
        for (int i = 0; i < 8; i++) f.opener.failure("lab07", "cannot open /dev/ttyS9: no such file");
        MemoryLink link = f.opener.link("lab07");
        f.hub.start(HubFixture.config(HubFixture.access(), HubFixture.serial("lab07", "/dev/ttyS9")));

        awaitState("lab07", Console.State.UP);
        assertThat(f.pause.asked()).isEqualTo(seconds(1, 2, 4, 8, 16, 32, 60, 60));
        assertThat(f.journal("lab07").marks()).containsExactly("lab07 down: cannot open /dev/ttyS9: no such file",
                "lab07 up (serial /dev/ttyS9 115200)");
        assertThat(f.said()).containsOnlyOnce("lab07 down: cannot open /dev/ttyS9: no such file; reopening in 1s");
        link.print("hello\r\n");
        assertThat(Proc.await(() -> f.journal("lab07").text().equals("hello\r\n"), Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aDropIsToldToWatchersAndTheWaitStartsOverOnlyAfterAMinuteUp() throws Exception {
        MemoryLink first = f.opener.link("lab07");
        f.hub.start(HubFixture.config(HubFixture.access(), HubFixture.serial("lab07", "/dev/ttyS0")));
        awaitState("lab07", Console.State.UP);
        MemorySession bob = f.session("bob", "lab07");
        bob.await("you write");

        // up for five seconds, then gone twice: the waits go on doubling (a flapping console is not hammered)
        f.clock.advance(Duration.ofSeconds(5));
        MemoryLink second = f.opener.link("lab07");
        first.drop("serial line gone: EIO");
        bob.await("[ctys-consoled: lab07 down: serial line gone: EIO; reopening in 1s]");
        bob.await("[ctys-consoled: lab07 up again]");
        assertThat(f.hub.console("lab07").get().attached().writer()).as("bob keeps the write").isEqualTo("bob");
        f.clock.advance(Duration.ofSeconds(5));
        MemoryLink third = f.opener.link("lab07");
        second.drop("serial line gone: EIO");
        awaitOpens("lab07", 3);
        awaitState("lab07", Console.State.UP);
        // up for a minute: the next drop starts at one second again
        f.clock.advance(Duration.ofSeconds(61));
        f.opener.link("lab07");
        third.drop("serial line gone: EIO");
        awaitOpens("lab07", 4);
        assertThat(f.pause.asked()).isEqualTo(seconds(1, 2, 1));
        assertThat(first.closed() && second.closed() && third.closed()).as("every dropped link closed").isTrue();
    }

    /** An Error in a console's reader (the daemon out of memory) takes that console down and it is reopened; it never dies "up". */
    @Test
    void aReaderThatFailsWithAnErrorIsReopenedLikeAnyDrop() throws Exception {
        MemoryLink first = f.opener.link("lab07");
        f.hub.start(HubFixture.config(HubFixture.access(), HubFixture.serial("lab07", "/dev/ttyS0")));
        awaitState("lab07", Console.State.UP);
        MemorySession bob = f.session("bob", "lab07");
        bob.await("you write");
        MemoryLink second = f.opener.link("lab07");
        first.fail(new OutOfMemoryError("Java heap space"));
        bob.await("[ctys-consoled: lab07 down: its reader failed: OutOfMemoryError: Java heap space; reopening in 1s]");
        bob.await("[ctys-consoled: lab07 up again]");
        second.print("still here\r\n");
        bob.await("still here");
        assertThat(first.closed()).isTrue();
    }

    @Test
    void listShowsADownConsolesStateAndError() throws Exception {
        f.opener.failure("lab07", "BMC 10.0.0.8:623 refused user admin's password");
        f.hub.start(HubFixture.config(HubFixture.access(), HubFixture.serial("lab07", "/dev/ttyS0")));
        assertThat(Proc.await(() -> f.opener.opens("lab07") >= 1 && f.pause.asked().size() >= 1, Duration.ofSeconds(10))).isTrue();

        MemorySession list = f.session("rita", "list --json");
        assertThat(list.exitStatus()).isZero();
        assertThat(list.screen()).startsWith("{\"consoles\":[{\"name\":\"lab07\",\"kind\":\"serial\",\"endpoint\":\"serial /dev/ttyS0 115200\","
                + "\"state\":\"down\",\"since\":\"2026-11-30T08:00:00.000Z\",\"error\":\"BMC 10.0.0.8:623 refused user admin's password\","
                + "\"writer\":null,\"watchers\":[],\"spies\":[],\"logBytes\":0,\"access\":\"ro\"}]}");
    }

    private void awaitOpens(String name, int n) {
        assertThat(Proc.await(() -> f.opener.opens(name) >= n, Duration.ofSeconds(10))).as(n + " opens of " + name).isTrue();
    }

    @Test
    void aReloadKeepsUnchangedConsolesWithTheirUsersOpensAddedOnesAndClosesRemovedOnes() throws Exception {
        MemoryLink lab07 = f.opener.link("lab07");
        MemoryLink lab08 = f.opener.link("lab08");
        f.hub.start(HubFixture.config(HubFixture.access(), HubFixture.serial("lab07", "/dev/ttyS0"),
                HubFixture.serial("lab08", "/dev/ttyS1")));
        awaitState("lab07", Console.State.UP);
        awaitState("lab08", Console.State.UP);
        Console kept = f.hub.console("lab07").get();
        MemorySession alice = f.session("alice", "lab07");
        alice.await("you write");
        MemorySession bob = f.session("bob", "lab08");
        bob.await("you write");

        MemoryLink lab09 = f.opener.link("lab09");
        Hub.Reloaded r = f.hub.reload(HubFixture.config(HubFixture.access(), HubFixture.serial("lab07", "/dev/ttyS0"),
                HubFixture.serial("lab09", "/dev/ttyS2")));

        assertThat(r.summary()).isEqualTo("reloaded: 1 kept, added lab09, removed lab08");
        bob.await("[ctys-consoled: lab08 removed from the configuration]");
        assertThat(bob.exitStatus()).isEqualTo(Commands.NO_CONSOLE);
        assertThat(lab08.closed()).isTrue();
        assertThat(f.journal("lab08").marks()).endsWith("lab08 removed from the configuration");
        awaitState("lab09", Console.State.UP);
        assertThat(f.hub.console("lab07").get()).isSameAs(kept);
        assertThat(f.opener.opens("lab07")).as("lab07 was not reopened").isEqualTo(1);
        lab07.print("still here\r\n");
        alice.await("still here");
        alice.type("typed\r");
        assertThat(Proc.await(() -> lab07.typed().equals("typed\r"), Duration.ofSeconds(10))).isTrue();
        assertThat(alice.closed()).isFalse();
        assertThat(lab09).isNotNull();
    }

    @Test
    void aReloadThatChangesAnEndpointReopensItAndItsUsersStay() throws Exception {
        MemoryLink old = f.opener.link("lab07");
        f.hub.start(HubFixture.config(HubFixture.access(), HubFixture.serial("lab07", "/dev/ttyS0")));
        awaitState("lab07", Console.State.UP);
        MemorySession alice = f.session("alice", "lab07");
        alice.await("you write");

        MemoryLink now = f.opener.link("lab07");
        Hub.Reloaded r = f.hub.reload(HubFixture.config(HubFixture.access(), HubFixture.serial("lab07", "/dev/ttyS5")));

        assertThat(r.changed()).containsExactly("lab07");
        alice.await("[ctys-consoled: lab07 changed in the configuration: now serial /dev/ttyS5 115200]");
        awaitOpens("lab07", 2);
        assertThat(f.opener.endpoint("lab07").describe()).isEqualTo("serial /dev/ttyS5 115200");
        assertThat(old.closed()).isTrue();
        now.print("new line\r\n");
        alice.await("new line");
        assertThat(f.pause.asked()).as("no back-off for a change").isEmpty();
    }

    @Test
    void aReloadThatWithdrawsAccessDetachesTheUserAndOneMadeReadOnlyLosesTheWrite() throws Exception {
        f.opener.link("lab07");
        f.hub.start(HubFixture.config(HubFixture.access(), HubFixture.serial("lab07", "/dev/ttyS0")));
        awaitState("lab07", Console.State.UP);
        MemorySession alice = f.session("alice", "lab07");
        alice.await("you write");
        MemorySession bob = f.session("bob", "lab07");
        bob.await("alice writes, you watch");

        Access narrower = new Access(List.of(new Access.Rule(List.of("lab*"), List.of(), List.of("alice"))),
                Map.of("ops", Set.of("bob")));
        f.hub.reload(HubFixture.config(narrower, HubFixture.serial("lab07", "/dev/ttyS0")));

        bob.await("[ctys-consoled: your access to lab07 was withdrawn by a reload of the configuration]");
        assertThat(bob.exitStatus()).isEqualTo(Commands.NOT_ALLOWED);
        alice.await("[ctys-consoled: you may only watch lab07 now (read-only); the write is free]");
        assertThat(f.hub.console("lab07").get().attached().writer()).isNull();
    }

    @Test
    void stoppingTheDaemonMarksEveryLogAndEndsEverySessionWithStatusOne() throws Exception {
        f.opener.link("lab07");
        f.hub.start(HubFixture.config(HubFixture.access(), HubFixture.serial("lab07", "/dev/ttyS0")));
        awaitState("lab07", Console.State.UP);
        MemorySession alice = f.session("alice", "lab07");
        alice.await("you write");

        f.hub.close("daemon stopping");

        alice.await("[ctys-consoled: daemon stopping]");
        assertThat(alice.exitStatus()).isEqualTo(Commands.NO_CONSOLE);
        assertThat(f.journal("lab07").marks()).endsWith("daemon stopping");
        assertThat(f.journal("lab07").closed).isTrue();
    }
}
