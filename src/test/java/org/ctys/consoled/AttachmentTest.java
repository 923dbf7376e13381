package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** What waits for one user: console output within its limit, and what the user asks for (~? ~r, replays) within another. */
class AttachmentTest {

    /** A client that reads nothing until released: the first write of the session's sink blocks. */
    private static final class Stalled {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch writing = new CountDownLatch(1);
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final FakeSession session = new FakeSession("carol", new OutputStream() {
            @Override
            public void write(int b) { write(new byte[] {(byte) b}, 0, 1); }

            @Override
            public void write(byte[] b, int off, int len) {
                writing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (got) {
                    got.write(b, off, len);
                }
            }
        });
    }

    @Test
    void aUserWhoKeepsAskingAndReadsNothingIsDetachedPastTheLimitAndConsoleOutputKeepsItsOwnLimit() throws Exception {
        Stalled s = new Stalled();
        Attachment a = new Attachment("carol", s.session, Access.Level.RO, false, 1 << 20);
        byte[] mib = new byte[1 << 20];
        a.raw(mib); // the sink takes this one and blocks in its write
        s.writing.await();
        // the one on its way counts until it is written
        for (int i = 1; i < Attachment.RAW_LIMIT >> 20; i++) a.raw(mib);
        assertThat(a.ending()).as("up to the limit").isFalse();
        assertThat(a.offer(new byte[(1 << 20) - 1])).as("replies waiting do not eat the console output's room").isTrue();

        a.raw(mib);
        assertThat(a.ending()).as("past it").isTrue();
        s.release.countDown();
        assertThat(a.awaitEnd()).isEqualTo(1);
        String said;
        synchronized (s.got) {
            said = s.got.toString(StandardCharsets.UTF_8);
        }
        assertThat(said).endsWith("[ctys-consoled: more than 16 MiB of replays and replies wait for you unread; detached]\r\n");
    }

    @Test
    void oneReplayLargerThanTheLimitIsRefusedWithAMessage() throws Exception {
        Stalled s = new Stalled();
        s.release.countDown();
        Attachment a = new Attachment("carol", s.session, Access.Level.RO, false, 1 << 20);
        a.raw(new byte[(int) Attachment.RAW_LIMIT + 1]);
        a.end(0, null);
        assertThat(a.awaitEnd()).isZero();
        assertThat(s.got.toString(StandardCharsets.UTF_8))
                .isEqualTo("\r\n[ctys-consoled: that is 16 MiB, more than the 16 MiB sent to a user at once; ask for fewer lines or a later time]\r\n");
    }

    @Test
    void aMessagePastTheRepliesRoomDetachesTheUserWhoIsStillToldWhy() throws Exception {
        Stalled s = new Stalled();
        Attachment a = new Attachment("carol", s.session, Access.Level.RO, false, 1 << 20);
        a.raw(new byte[(int) Attachment.RAW_LIMIT - 10]); // on its way, held by the client
        s.writing.await();
        a.say("one message more than the room");
        assertThat(a.ending()).isTrue();
        s.release.countDown();
        assertThat(a.awaitEnd()).isEqualTo(1);
        String said;
        synchronized (s.got) {
            said = s.got.toString(StandardCharsets.UTF_8);
        }
        assertThat(said).endsWith("\r\n[ctys-consoled: more than 16 MiB of replays and replies wait for you unread; detached]\r\n")
                .doesNotContain("one message more");
    }

    @Test
    void aReplayAskedForWhileAnEarlierOneStillWaitsIsNotSentAndTheUserStays() throws Exception {
        Stalled s = new Stalled();
        Attachment a = new Attachment("carol", s.session, Access.Level.RO, false, 1 << 20);
        a.replay(new byte[8 << 20]); // on its way, held by the client
        s.writing.await();
        a.replay(new byte[8 << 20]);
        a.replay(new byte[8 << 20]);
        assertThat(a.ending()).isFalse();
        s.release.countDown();
        a.end(0, null);
        assertThat(a.awaitEnd()).isZero();
        String said;
        synchronized (s.got) {
            said = s.got.toString(StandardCharsets.ISO_8859_1);
        }
        assertThat(said.length()).isEqualTo((8 << 20) + 2 * ("\r\n[ctys-consoled: an earlier replay has not reached you yet;"
                + " this one is not sent (ask again once it has)]\r\n").length());
    }

    /** Users who read nothing share the daemon's budget: past it, a replay is not sent and console output detaches. */
    @Test
    void theDaemonsBudgetForAllUsersBoundsWhatWaitsWhateverTheNumberOfSessions() throws Exception {
        Attachment.Budget budget = new Attachment.Budget(new org.ctys.transport.ssh.server.OutputQueue.Backlog(), 20 << 20);
        java.util.List<Stalled> clients = new java.util.ArrayList<>();
        java.util.List<Attachment> users = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Stalled s = new Stalled();
            clients.add(s);
            Attachment a = new Attachment("carol", s.session, Access.Level.RO, false, 4 << 20, budget);
            users.add(a);
            a.replay(new byte[8 << 20]);
        }
        // two replays fit, the third and fourth do not; nobody is detached for that
        assertThat(budget.unsent().bytes()).isLessThanOrEqualTo(20 << 20).isGreaterThanOrEqualTo(16 << 20);
        assertThat(users).noneMatch(Attachment::ending);
        // console output past the budget: that user falls behind (the console detaches them), within it it is taken
        assertThat(users.get(3).offer(new byte[1 << 20])).isTrue();
        assertThat(users.get(3).offer(new byte[3 << 20])).isFalse();
        // one who holds none of it is served as ever: they read what they are sent
        Stalled reads = new Stalled();
        clients.add(reads);
        Attachment reader = new Attachment("dave", reads.session, Access.Level.RO, false, 4 << 20, budget);
        users.add(reader);
        assertThat(reader.offer(new byte[64 << 10])).isTrue();
        reader.say("dave, you are still here");
        assertThat(reader.ending()).isFalse();
        // one who keeps asking (~?) past their share of a full budget is detached, told why
        Stalled asks = new Stalled();
        clients.add(asks);
        Attachment asker = new Attachment("erin", asks.session, Access.Level.RO, false, 4 << 20, budget);
        users.add(asker);
        for (int i = 0; i < 100_000 && !asker.ending(); i++) asker.say("help text ".repeat(20));
        assertThat(asker.ending()).isTrue();
        for (Stalled s : clients) s.release.countDown();
        for (Attachment a : users) {
            a.end(0, null);
            assertThat(a.awaitEnd()).isIn(0, 1);
        }
        synchronized (asks.got) {
            assertThat(asks.got.toString(StandardCharsets.UTF_8)).containsPattern("\\[ctys-consoled: the daemon holds all it keeps for"
                    + " its users' unread output, \\d+ KiB of it for you; detached]\r\n$");
        }
        assertThat(budget.unsent().bytes()).as("all written: nothing counted any more").isZero();
        String third;
        synchronized (clients.get(2).got) {
            third = clients.get(2).got.toString(StandardCharsets.UTF_8);
        }
        assertThat(third).isEqualTo("\r\n[ctys-consoled: the daemon holds all it keeps for its users' unread output (20 MiB);"
                + " this replay is not sent, ask again shortly]\r\n");
    }
}
