package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.ctys.consoled.ConsoleLog.Rotation;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a process writing a console log loses nothing it had acknowledged: a JVM of its own
 * ({@link ConsoleLogFeeder}) appends a known stream, rotating every 64 KB, and says "ack n" after
 * each write returned; killed with -9 mid-stream, every acknowledged byte is in the log, what is
 * there is exactly the stream's beginning, and a log opened again continues it exactly.
 */
class ConsoleLogKillTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedByteSurvivesKillMinus9AndTheNextDaemonContinuesTheLog() throws Exception {
        long seed = 20261130;
        Path stderr = dir.resolve("feeder.err");
        Path logs = dir.resolve("logs");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ConsoleLogFeeder.class.getName(), logs.toString(), "lab07",
                Long.toString(seed), Long.toString(64 * 1024))
                .redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        AtomicLong acked = new AtomicLong();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("ack ")) acked.set(Long.parseLong(line.substring(4)));
                }
            } catch (java.io.IOException e) {
                // the process is gone; what it acknowledged is in `acked`
            }
        }, "feeder-acks");
        reader.start();
        try {
            boolean streamed = Proc.await(() -> acked.get() >= 1_500_000 || !p.isAlive(), Duration.ofSeconds(60));
            assertThat(p.isAlive()).as("the feeder ended by itself: " + Files.readString(stderr)).isTrue();
            assertThat(streamed).as("the feeder acknowledged only " + acked.get() + " bytes in 60 s").isTrue();
            p.destroyForcibly(); // SIGKILL, in the middle of its stream
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(128 + 9);
        } finally {
            Proc.kill(p);
        }
        reader.join(10_000);
        assertThat(reader.isAlive()).isFalse();

        List<Integer> rotated = new LogFiles(logs, "lab07").rotatedNumbers();
        assertThat(rotated).as("rotated while streaming").hasSizeGreaterThan(10);
        byte[] logged = ConsoleLog.consoleBytes(logs, "lab07");
        assertThat((long) logged.length).as("bytes in the log against bytes acknowledged").isGreaterThanOrEqualTo(acked.get());
        ConsoleLogFeeder.Chunks chunks = new ConsoleLogFeeder.Chunks(seed);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        while (stream.size() < logged.length) stream.writeBytes(chunks.next());
        byte[] expected = java.util.Arrays.copyOf(stream.toByteArray(), logged.length);
        assertThat(logged).as("the log holds the stream's beginning, nothing else").isEqualTo(expected);

        // the next daemon continues the same file, and the same line if one was open
        long before = Files.size(logs.resolve("lab07.log"));
        byte[] more = "more after the restart\n".getBytes(StandardCharsets.US_ASCII);
        try (ConsoleLog log = ConsoleLog.open(logs, "lab07", new Rotation(0, Duration.ZERO, 1000), Clock.systemUTC())) {
            log.mark("lab07 up (after kill -9)");
            log.data(more, 0, more.length);
        }
        assertThat(Files.size(logs.resolve("lab07.log"))).isGreaterThan(before);
        assertThat(new LogFiles(logs, "lab07").rotatedNumbers()).isEqualTo(rotated);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(logged);
        all.writeBytes(more);
        assertThat(ConsoleLog.consoleBytes(logs, "lab07")).isEqualTo(all.toByteArray());
    }
}
