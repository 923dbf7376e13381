package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.ctys.consoled.ConsoleLog.Rotation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotation under load loses nothing: one thread streams a megabyte into a log that rotates every
 * 8 KB by size and every 100 ms by age, while another marks and ticks (quiet marks
 * included) and a third replays from disk all the while; afterwards the log holds exactly the
 * bytes streamed, and its size is what is on disk.
 */
class ConsoleLogLoadTest {
    @TempDir
    Path dir;

    @Test
    void aWriterStreamingWhileRotationsMarksAndReplaysHappenLosesAndDoublesNothing() throws Exception {
        Rotation rotation = new Rotation(8192, Duration.ofMillis(100), 100_000);
        ConsoleLogFeeder.Chunks chunks = new ConsoleLogFeeder.Chunks(42);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger marks = new AtomicInteger();
        AtomicInteger replays = new AtomicInteger();
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", rotation, Clock.systemUTC())) {
            Thread writer = new Thread(() -> {
                try {
                    while (sent.size() < 1_000_000) {
                        byte[] b = chunks.next();
                        log.data(b, 0, b.length);
                        sent.writeBytes(b);
                    }
                } catch (Throwable t) {
                    failed.compareAndSet(null, t);
                } finally {
                    done.set(true);
                }
            }, "writer");
            Thread marker = new Thread(() -> {
                try {
                    while (!done.get()) {
                        log.tick(Instant.now(), Duration.ofMillis(1));
                        log.mark("mark " + marks.incrementAndGet());
                        LockSupport.parkNanos(200_000); // pacing, so the writer gets the lock too
                    }
                } catch (Throwable t) {
                    failed.compareAndSet(null, t);
                }
            }, "marker");
            Thread replayer = new Thread(() -> {
                try {
                    while (!done.get()) {
                        assertThat(ConsoleLog.last(dir, "lab07", 20)).hasSizeLessThanOrEqualTo(20);
                        ConsoleLog.since(dir, "lab07", Instant.now().minusMillis(5));
                        replays.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failed.compareAndSet(null, t);
                }
            }, "replayer");
            writer.start();
            marker.start();
            replayer.start();
            for (Thread t : List.of(writer, marker, replayer)) {
                t.join(120_000);
                assertThat(t.isAlive()).as(t.getName() + " still runs after 2 min").isFalse();
            }
            assertThat(failed.get()).isNull();
            long onDisk = 0;
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) onDisk += Files.size(p);
            }
            assertThat(log.bytes()).isEqualTo(onDisk);
        }
        int files = new LogFiles(dir, "lab07").rotatedNumbers().size();
        assertThat(files).as("rotations").isGreaterThan(120);
        assertThat(marks.get()).isPositive();
        assertThat(replays.get()).isPositive();
        byte[] logged = ConsoleLog.consoleBytes(dir, "lab07");
        assertThat(logged.length).as("bytes after against bytes before").isEqualTo(sent.size());
        assertThat(logged).isEqualTo(sent.toByteArray());
    }
}
