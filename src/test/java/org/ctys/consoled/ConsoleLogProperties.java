package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ctys.consoled.ConsoleLog.Line;
import org.ctys.consoled.ConsoleLog.Rotation;
import org.ctys.testkit.Proc;

/**
 * Whatever a console sends, in whatever chunks, with marks, quiet ticks, rotations by size and
 * age and daemon restarts in between, the log gives back exactly the bytes sent, once each, in
 * order; and reading backwards ({@code last}) and forwards ({@code since}) agree.
 */
class ConsoleLogProperties {

    sealed interface Step permits Chunk, Mark, Tick, Restart {}

    record Chunk(byte[] bytes) implements Step {
        @Override
        public String toString() { return "Chunk" + java.util.Arrays.toString(bytes); }
    }

    record Mark(String text) implements Step {}

    /** The clock moves on by {@code seconds}, then a tick with or without quiet marks. */
    record Tick(int seconds, boolean quiet) implements Step {}

    record Restart() implements Step {}

    @Provide
    Arbitrary<List<Step>> runs() {
        Arbitrary<Byte> consoleByte = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of((byte) '\n', (byte) '\r', (byte) 0, (byte) '+', (byte) '|', (byte) '*')),
                net.jqwik.api.Tuple.of(3, Arbitraries.bytes()),
                net.jqwik.api.Tuple.of(6, Arbitraries.bytes().between((byte) 'a', (byte) 'z')));
        Arbitrary<Step> chunk = consoleByte.array(byte[].class).ofMinSize(1).ofMaxSize(120).map(Chunk::new);
        Arbitrary<Step> mark = Arbitraries.strings().withChars("abc \n\r-ä").ofMaxLength(12).map(Mark::new);
        Arbitrary<Step> tick = net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 40), Arbitraries.of(true, false))
                .as(Tick::new);
        Arbitrary<Step> restart = Arbitraries.just(new Restart());
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(10, chunk), net.jqwik.api.Tuple.of(2, mark),
                net.jqwik.api.Tuple.of(3, tick), net.jqwik.api.Tuple.of(1, restart)).list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<Rotation> rotations() {
        return net.jqwik.api.Combinators.combine(Arbitraries.of(0L, 40L, 100L, 300L, 2000L),
                Arbitraries.of(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(60)))
                .as((size, age) -> new Rotation(size, age, 10_000));
    }

    @Property(tries = 300)
    void everyByteComesBackOnceInOrder(@ForAll("runs") List<Step> steps, @ForAll("rotations") Rotation rotation) throws IOException {
        Path dir = Files.createTempDirectory("ctys-consolelog-");
        try {
            byte[] sent = play(dir, steps, rotation);
            assertThat(ConsoleLog.consoleBytes(dir, "c")).isEqualTo(sent);
            List<Line> all = ConsoleLog.since(dir, "c", Instant.EPOCH);
            for (int n : new int[] {1, 2, 5, 1000}) {
                List<Line> last = ConsoleLog.last(dir, "c", n);
                assertThat(describe(last)).isEqualTo(describe(all.subList(Math.max(0, all.size() - n), all.size())));
            }
        } finally {
            Proc.deleteTree(dir);
        }
    }

    @Property(tries = 100)
    void withFewFilesKeptWhatIsLeftIsTheEndOfWhatWasSent(@ForAll("runs") List<Step> steps) throws IOException {
        Path dir = Files.createTempDirectory("ctys-consolelog-");
        try {
            byte[] sent = play(dir, steps, new Rotation(60, Duration.ofSeconds(30), 2));
            byte[] kept = ConsoleLog.consoleBytes(dir, "c");
            assertThat(kept.length).isLessThanOrEqualTo(sent.length);
            assertThat(java.util.Arrays.copyOfRange(sent, sent.length - kept.length, sent.length)).isEqualTo(kept);
        } finally {
            Proc.deleteTree(dir);
        }
    }

    /** Plays the steps against a log in {@code dir}; the bytes the console sent. */
    private static byte[] play(Path dir, List<Step> steps, Rotation rotation) throws IOException {
        SetClock clock = new SetClock("2026-11-30T08:00:00Z");
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        ConsoleLog log = ConsoleLog.open(dir, "c", rotation, clock);
        try {
            for (Step s : steps) {
                if (s instanceof Chunk c) {
                    log.data(c.bytes(), 0, c.bytes().length);
                    sent.writeBytes(c.bytes());
                    clock.advance(Duration.ofMillis(300));
                } else if (s instanceof Mark m) {
                    log.mark(m.text());
                } else if (s instanceof Tick t) {
                    log.tick(clock.advance(Duration.ofSeconds(t.seconds())), t.quiet() ? Duration.ofSeconds(5) : Duration.ZERO);
                } else {
                    log.close();
                    log = ConsoleLog.open(dir, "c", rotation, clock);
                }
            }
        } finally {
            log.close();
        }
        return sent.toByteArray();
    }

    private static List<String> describe(List<Line> lines) {
        return lines.stream().map(l -> l.at() + (l.mark() ? "*" : "|") + java.util.HexFormat.of().formatHex(l.text())).toList();
    }
}
