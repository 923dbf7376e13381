package org.ctys.consoled;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.ctys.consoled.ConsoleLog.Rotation;

/**
 * A daemon's reader thread in a JVM of its own, for {@link ConsoleLogKillTest}: appends a known
 * stream of console bytes to a log in chunks and, after each {@code data()} has returned, prints
 * {@code ack <bytes so far>} on stdout, until it is killed (or, never left behind, after a minute).
 * Arguments: the log directory, the console, the seed of the stream, the rotation size in bytes.
 */
public final class ConsoleLogFeeder {
    private static final long RUNS_AT_MOST_NANOS = Duration.ofMinutes(1).toNanos();

    private ConsoleLogFeeder() {}

    /** The stream's chunks, the same for the same seed: console-like text with now and then any byte. */
    static final class Chunks {
        private final Random random;

        Chunks(long seed) { random = new Random(seed); }

        byte[] next() {
            byte[] b = new byte[1 + random.nextInt(300)];
            for (int i = 0; i < b.length; i++) {
                int r = random.nextInt(100);
                b[i] = r < 4 ? (byte) '\n' : r < 6 ? (byte) '\r' : r < 8 ? (byte) random.nextInt(256) : (byte) ('a' + r % 26);
            }
            return b;
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Chunks chunks = new Chunks(Long.parseLong(args[2]));
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.US_ASCII);
        long sent = 0;
        long start = System.nanoTime();
        try (ConsoleLog log = ConsoleLog.open(dir, args[1], new Rotation(Long.parseLong(args[3]), Duration.ZERO, 1000),
                Clock.systemUTC())) {
            for (int i = 0; System.nanoTime() - start < RUNS_AT_MOST_NANOS; i++) {
                byte[] b = chunks.next();
                log.data(b, 0, b.length);
                sent += b.length;
                out.print("ack " + sent + "\n");
                out.flush();
                if (i % 97 == 0) log.mark("mark after " + sent);
            }
        }
    }
}
