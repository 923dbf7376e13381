package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hub with in-memory consoles and sessions: the writer rule, force, spy, escapes, slow users, the log first. */
class HubTest {

    private HubFixture f;

    private MemoryLink startOne() throws Exception {
        f = new HubFixture();
        MemoryLink link = f.opener.link("lab07");
        f.hub.start(HubFixture.config(HubFixture.access(), HubFixture.serial("lab07", "/dev/ttyS0")));
        awaitUp("lab07");
        return link;
    }

    private void awaitUp(String name) {
        assertThat(Proc.await(() -> f.hub.console(name).map(c -> c.state() == Console.State.UP).orElse(false),
                Duration.ofSeconds(10))).as(name + " up; daemon said: " + f.said()).isTrue();
    }

    @AfterEach
    void close() {
        if (f != null) f.close();
    }

    @Test
    void theFirstReadWriteUserWritesAndAWatchersTypingIsDroppedWithAReminder() throws Exception {
        MemoryLink link = startOne();
        MemorySession alice = f.session("alice", "lab07");
        alice.await("[ctys-consoled: lab07 up (serial /dev/ttyS0 115200); you write; ~? for help]");
        MemorySession bob = f.session("bob", "lab07");
        bob.await("[ctys-consoled: lab07 up (serial /dev/ttyS0 115200); alice writes, you watch; ~f takes over; ~? for help]");

        alice.type("ls\r");
        bob.type("rm -rf /\r");
        bob.await("alice writes, you watch; typing dropped; ~f takes over");
        bob.type("again\r");
        alice.type("pwd\r");

        assertThat(Proc.await(() -> link.typed().equals("ls\rpwd\r"), Duration.ofSeconds(10))).as(link.typed()).isTrue();
        link.print("output line\r\n");
        alice.await("output line");
        bob.await("output line");
        assertThat(bob.screen()).as("one reminder within 10 s").containsOnlyOnce("typing dropped");
    }

    /** A line that is up but takes no input: the one who typed is told why, the console stays up. */
    @Test
    void typingALineThatTakesNoInputTellsTheWriterWhy() throws Exception {
        MemoryLink link = startOne();
        MemorySession alice = f.session("alice", "lab07");
        alice.await("you write");
        link.refuseWrites("serial line /dev/ttyS0 took no input for 5 s: flow control holds it (the machine sent XOFF, or CTS is low)");
        alice.type("ls\r");
        alice.await("serial line /dev/ttyS0 took no input for 5 s: flow control holds it (the machine sent XOFF, or CTS is low); typing dropped");
        link.refuseWrites(null);
        alice.type("pwd\r");
        assertThat(Proc.await(() -> link.typed().equals("pwd\r"), Duration.ofSeconds(10))).as(link.typed()).isTrue();
        assertThat(f.hub.console("lab07").orElseThrow().state()).isEqualTo(Console.State.UP);
    }

    @Test
    void forceTakesTheWriteAndEveryoneAttachedIsTold() throws Exception {
        MemoryLink link = startOne();
        MemorySession alice = f.session("alice", "lab07");
        alice.await("you write");
        MemorySession rita = f.session("rita", "lab07");
        rita.await("alice writes, you watch (read-only)");
        MemorySession bob = f.session("bob", "lab07 --force");

        bob.await("[ctys-consoled: bob took the write from alice]");
        alice.await("[ctys-consoled: bob took the write from alice]");
        rita.await("[ctys-consoled: bob took the write from alice]");
        alice.type("x\r");
        alice.await("bob writes, you watch; typing dropped");
        bob.type("y\r");
        assertThat(Proc.await(() -> link.typed().equals("y\r"), Duration.ofSeconds(10))).as(link.typed()).isTrue();

        alice.type("~f");
        bob.await("[ctys-consoled: alice took the write from bob]");
        alice.type("z\r");
        assertThat(Proc.await(() -> link.typed().equals("y\rz\r"), Duration.ofSeconds(10))).as(link.typed()).isTrue();
    }

    @Test
    void aReadOnlyUserCannotForceOrWrite() throws Exception {
        MemoryLink link = startOne();
        MemorySession rita = f.session("rita", "lab07 --force");
        assertThat(rita.exitStatus()).isEqualTo(Commands.NOT_ALLOWED);
        assertThat(rita.screen()).contains("ctys-consoled: --force needs read-write access to lab07; you may only watch it");

        MemorySession watching = f.session("rita", "lab07");
        watching.await("you watch (read-only)");
        watching.type("halt\r~f");
        watching.await("you may only watch lab07 (read-only); typing dropped");
        watching.await("[ctys-consoled: you may only watch lab07 (read-only)]");
        assertThat(link.typed()).isEmpty();
    }

    @Test
    void aSpyNeverTakesTheWriteByTypingAndSGivesItUp() throws Exception {
        MemoryLink link = startOne();
        MemorySession spy = f.session("alice", "lab07 --spy");
        spy.await("you spy; ~f takes the write");
        spy.type("secret\r");
        spy.await("you spy; typing dropped; ~f takes the write");
        MemorySession bob = f.session("bob", "lab07");
        bob.await("you write");

        bob.type("~s");
        bob.await("[ctys-consoled: you spy now; the write is free]");
        spy.await("bob gave up the write; the next to type takes it");
        spy.type("~w");
        spy.await("[ctys-consoled: lab07: nobody writes; watching: nobody; spying: alice, bob]");
        spy.type("~f");
        spy.await("[ctys-consoled: alice writes]");
        spy.type("ok\r");
        assertThat(Proc.await(() -> link.typed().equals("ok\r"), Duration.ofSeconds(10))).as(link.typed()).isTrue();
    }

    @Test
    void whenTheWriterLeavesTheNextReadWriteUserWhoTypesTakesTheWrite() throws Exception {
        MemoryLink link = startOne();
        MemorySession alice = f.session("alice", "lab07");
        alice.await("you write");
        MemorySession bob = f.session("bob", "lab07");
        bob.await("alice writes, you watch");

        alice.type("~.");
        assertThat(alice.exitStatus()).isEqualTo(Commands.LEFT);
        bob.await("[ctys-consoled: alice left; the write is free: the next to type takes it]");
        bob.type("mine\r");
        bob.await("[ctys-consoled: bob writes]");
        assertThat(Proc.await(() -> link.typed().equals("mine\r"), Duration.ofSeconds(10))).as(link.typed()).isTrue();
    }

    @Test
    void escapesAreHandledByTheDaemonAndNeverReachTheMachine() throws Exception {
        MemoryLink link = startOne();
        MemorySession alice = f.session("alice", "lab07");
        alice.await("you write");
        link.print("boot line 1\r\nboot line 2\r\n");
        alice.await("boot line 2");

        alice.type("~?");
        alice.await("~. leave  ~? this help  ~w who is attached  ~f take the write  ~s become a spy  ~r replay");
        alice.type("~w");
        alice.await("[ctys-consoled: lab07: alice writes; watching: nobody]");
        alice.type("~B");
        assertThat(Proc.await(() -> link.breaks() == 1, Duration.ofSeconds(10))).isTrue();
        alice.type("~~x\r~q\rmid~.dle\r");
        assertThat(Proc.await(() -> link.typed().equals("~x\r~q\rmid~.dle\r"), Duration.ofSeconds(10))).as(link.typed()).isTrue();
        int before = alice.screen().split("boot line 1", -1).length;
        alice.type("~r");
        alice.await(s -> s.split("boot line 1", -1).length == before + 1, "a replay of boot line 1");
        alice.type("~.");
        assertThat(alice.exitStatus()).isEqualTo(Commands.LEFT);
        assertThat(link.typed()).as("nothing of ~? ~w ~B ~r ~. reached the machine").isEqualTo("~x\r~q\rmid~.dle\r");
    }

    @Test
    void replayComesFirstThenLiveOutputWithNothingLostOrDoubled() throws Exception {
        MemoryLink link = startOne();
        link.print("one\r\ntwo\r\nthree\r\n");
        assertThat(Proc.await(() -> f.journal("lab07").text().contains("three"), Duration.ofSeconds(10))).isTrue();
        MemorySession bob = f.session("bob", "lab07 --replay 2");
        bob.await("three");
        link.print("four\r\n");
        String screen = bob.await("four");
        assertThat(screen).doesNotContain("one").containsOnlyOnce("two").containsOnlyOnce("three");
        assertThat(screen.indexOf("three")).isLessThan(screen.indexOf("[ctys-consoled: lab07 up"));
    }

    @Test
    void everyChunkIsInTheLogBeforeAnyUserSeesIt() throws Exception {
        MemoryLink link = startOne();
        MemorySession alice = f.session("alice", "lab07");
        alice.await("you write");
        MemoryJournal log = f.journal("lab07");
        log.hold = new CountDownLatch(1);

        link.print("MARKER-1\r\n");
        assertThat(log.entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(Proc.await(() -> alice.screen().contains("MARKER-1"), Duration.ofMillis(300)))
                .as("the user saw the chunk while its log write had not returned").isFalse();
        log.hold.countDown();
        alice.await("MARKER-1");
        assertThat(log.text()).contains("MARKER-1");
    }

    @Test
    void aStalledUserIsDroppedAndNeverSlowsTheConsoleOrTheOthers() throws Exception {
        f = new HubFixture(64 * 1024);
        MemoryLink link = f.opener.link("lab07");
        f.hub.start(HubFixture.config(HubFixture.access(), HubFixture.serial("lab07", "/dev/ttyS0")));
        awaitUp("lab07");
        MemorySession stalled = f.session("rita", "lab07", true);
        MemorySession alice = f.session("alice", "lab07");
        alice.await("you write");
        assertThat(Proc.await(() -> f.hub.console("lab07").get().attached().watchers().contains("rita"),
                Duration.ofSeconds(10))).isTrue();

        byte[] chunk = new byte[4096];
        java.util.Arrays.fill(chunk, (byte) 'a');
        int chunks = 100; // 400 KiB: more than six times what may wait for one user
        int before = alice.screen().length();
        for (int i = 0; i < chunks; i++) {
            // as fast as alice reads: she never falls behind, rita never reads
            link.print(chunk);
            int shown = before + (i + 1) * chunk.length;
            alice.await(s -> s.length() >= shown, (i + 1) + " chunks");
        }
        link.print("END\r\n");

        alice.await("END");
        assertThat(f.journal("lab07").bytes()).isEqualTo(chunks * 4096L + 5);
        assertThat(alice.screen().substring(before)).startsWith("a".repeat(chunks * 4096) + "END");
        assertThat(Proc.await(() -> !f.hub.console("lab07").get().attached().watchers().contains("rita"),
                Duration.ofSeconds(10))).as("rita detached").isTrue();
        assertThat(f.said()).contains("rita fell behind on lab07 and was detached");
        stalled.unstall();
        stalled.await("you fell behind lab07's output");
        assertThat(stalled.exitStatus()).isEqualTo(Commands.NO_CONSOLE);
    }
}
