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
        assertThat(said).endsWith("[ctys-consoled: more than 64 MiB of replays and replies wait for you unread; detached]\r\n");
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
                .isEqualTo("\r\n[ctys-consoled: that is 64 MiB, more than the 64 MiB sent to a user at once; ask for fewer lines or a later time]\r\n");
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
        assertThat(said).endsWith("\r\n[ctys-consoled: more than 64 MiB of replays and replies wait for you unread; detached]\r\n")
                .doesNotContain("one message more");
    }
}
