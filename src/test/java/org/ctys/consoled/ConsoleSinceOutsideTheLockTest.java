package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.Test;

/**
 * The first --since of a console after the daemon starts reads its whole log's stamps; the console's
 * output must not wait for that (its reader delivers under the lock an attach takes).
 */
class ConsoleSinceOutsideTheLockTest {

    /** A journal whose learning of the stamps takes as long as the test says. */
    private static final class SlowStamps implements Journal {
        final CountDownLatch learning = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        @Override public void data(byte[] bytes, int offset, int length) {}
        @Override public void mark(String text) {}
        @Override public void tick(Instant now, Duration quiet) {}
        @Override public long bytes() { return 0; }
        @Override public byte[] last(int lines) { return new byte[0]; }
        @Override public byte[] since(Instant from) { return "replayed\r\n".getBytes(StandardCharsets.US_ASCII); }
        @Override public void close() {}

        @Override
        public void prepareSince() {
            learning.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void outputGoesOnWhileAReplaySinceATimeLearnsTheLogsStamps() throws Exception {
        MemoryLink line = new MemoryLink();
        SlowStamps journal = new SlowStamps();
        Console c = new Console(new ConsoleDef("lab07", new Endpoint.Command("cat"), Set.of()), (name, e) -> line, journal,
                new Say(new PrintStream(new ByteArrayOutputStream())), Clock.systemUTC(), Pause.real());
        c.start();
        try {
            assertThat(Proc.await(() -> c.state() == Console.State.UP, Duration.ofSeconds(10))).isTrue();
            ByteArrayOutputStream bobSaw = new ByteArrayOutputStream();
            Attachment bob = new Attachment("bob", new FakeSession("bob", bobSaw), Access.Level.RO, false, 1 << 20);
            c.attach(bob, false, null);

            ByteArrayOutputStream carolSaw = new ByteArrayOutputStream();
            Attachment carol = new Attachment("carol", new FakeSession("carol", carolSaw), Access.Level.RO, false, 1 << 20);
            Thread attaching = new Thread(() -> {
                try {
                    c.attach(carol, false, Console.Replay.since(Instant.EPOCH));
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            });
            attaching.start();
            assertThat(journal.learning.await(10, TimeUnit.SECONDS)).isTrue();
            line.print("while carol's replay is prepared\r\n");
            assertThat(Proc.await(() -> said(bobSaw).contains("while carol's replay is prepared"), Duration.ofSeconds(10)))
                    .as("bob saw: " + said(bobSaw)).isTrue();
            journal.release.countDown();
            attaching.join(10_000);
            assertThat(Proc.await(() -> said(carolSaw).contains("replayed"), Duration.ofSeconds(10))).isTrue();
            bob.end(0, null);
            carol.end(0, null);
            bob.awaitEnd();
            carol.awaitEnd();
        } finally {
            journal.release.countDown();
            c.close("test over", 1000);
        }
    }

    private static String said(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
