package org.ctys.consoled;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.ctys.consoled.ConsoleLog.Line;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a log back --since a time when its clock was set back: no line after the time is hidden, at any file size. */
class LogReaderTest {
    private static final Instant TEN = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant ELEVEN = Instant.parse("2026-12-01T11:00:00Z");
    private static final Instant NINE = Instant.parse("2026-12-01T09:00:00Z");

    @TempDir
    Path dir;

    /** {@code count} records from {@code start}, {@code step} apart, texts "<name> <i>" padded to {@code width}. */
    private static String records(Instant start, Duration step, int count, String name, int width) {
        StringBuilder b = new StringBuilder();
        LogStamp stamp = new LogStamp();
        byte[] s = new byte[LogStamp.LENGTH];
        for (int i = 0; i < count; i++) {
            stamp.write(start.plus(step.multipliedBy(i)), s, 0);
            String text = name + " " + i + " ";
            b.append(new String(s, US_ASCII)).append(" |").append(text).append("y".repeat(Math.max(0, width - text.length()))).append('\n');
        }
        return b.toString();
    }

    private static String text(Line l) {
        return new String(l.text(), US_ASCII);
    }

    /**
     * Records 10:00 to 12:00, then the clock set back to 09:00 and on: --since 11:00 is the hour
     * before the step and all after it, whether the file is small (read whole) or large (searched).
     */
    @Test
    void aClockSetBackHidesNoLineAfterTheTimeInASmallOrALargeFile() throws Exception {
        for (int scale : new int[] {1, 10}) {
            Path logs = Files.createDirectory(dir.resolve("x" + scale));
            int hour = 100 * scale;
            int width = scale == 1 ? 10 : 95;
            Files.writeString(logs.resolve("lab07.log"), records(TEN, Duration.ofHours(2).dividedBy(2 * hour), 2 * hour, "before", width)
                    + records(NINE, Duration.ofSeconds(3), 6 * hour, "after", width), US_ASCII);
            long size = Files.size(logs.resolve("lab07.log"));
            assertThat(size).isBetween(scale == 1 ? 20_000L : 900_000L, scale == 1 ? 64 * 1024L : 1_100_000L);
            List<Line> lines = LogReader.since(new LogFiles(logs, "lab07"), ELEVEN);
            assertThat(lines).as("%d bytes", size).hasSize(7 * hour);
            assertThat(text(lines.get(0))).startsWith("before " + hour + " ");
            assertThat(lines.get(0).at()).isEqualTo(ELEVEN);
            assertThat(text(lines.get(hour))).startsWith("after 0 ");
            assertThat(text(lines.get(7 * hour - 1))).startsWith("after " + (6 * hour - 1) + " ");
        }
    }

    /**
     * A step back that no halving probe can see: stamps before and after it look in order
     * (08:00-11:00, then 09:00-09:30, then 11:30 on), yet the lines from 10:30 to 11:00 come first.
     */
    @Test
    void aStepBackBetweenRecordsThatLookInOrderHidesNothing() throws Exception {
        Files.writeString(dir.resolve("lab07.log"), records(TEN.minus(Duration.ofHours(2)), Duration.ofSeconds(5), 2160, "a", 90)
                + records(NINE, Duration.ofMillis(300), 6000, "b", 90)
                + records(ELEVEN.plus(Duration.ofMinutes(30)), Duration.ofSeconds(1), 2000, "c", 90), US_ASCII);
        List<Line> lines = LogReader.since(new LogFiles(dir, "lab07"), Instant.parse("2026-12-01T10:30:00Z"));
        assertThat(text(lines.get(0))).startsWith("a 1800 ");
        assertThat(lines).hasSize(360 + 6000 + 2000);
    }

    /** A newer file that begins earlier than an older one (the clock set back at a rotation) is no place to start. */
    @Test
    void filesAreNotTakenToBeInOrderByTheirFirstStamps() throws Exception {
        Files.writeString(dir.resolve("lab07.log.2"), records(TEN, Duration.ofMinutes(1), 120, "two", 20), US_ASCII);
        Files.writeString(dir.resolve("lab07.log.1"), records(NINE, Duration.ofMinutes(1), 60, "one", 20), US_ASCII);
        Files.writeString(dir.resolve("lab07.log"), records(TEN, Duration.ofMinutes(1), 30, "current", 20), US_ASCII);
        List<Line> lines = LogReader.since(new LogFiles(dir, "lab07"), ELEVEN);
        assertThat(lines).hasSize(60 + 60 + 30);
        assertThat(text(lines.get(0))).startsWith("two 60 ");
        assertThat(LogReader.since(new LogFiles(dir, "lab07"), Instant.parse("2026-12-01T12:00:00Z"))).isEmpty();
        // 10:25 is in the oldest file, though each newer one begins before it
        List<Line> all = LogReader.since(new LogFiles(dir, "lab07"), Instant.parse("2026-12-01T10:25:00Z"));
        assertThat(all).hasSize(95 + 60 + 30);
        assertThat(text(all.get(0))).startsWith("two 25 ");
    }

    /** The replay's bound still holds: the first record wanted is older than the newest bytes, so those are all shown. */
    @Test
    void theBoundAfterAStepBackShowsTheNewestBytesAndSaysOlderOnesAreLeftOut() throws Exception {
        Files.writeString(dir.resolve("lab07.log"), records(TEN, Duration.ofMinutes(1), 120, "before", 20)
                + records(NINE, Duration.ofSeconds(1), 200, "after", 20), US_ASCII);
        List<Line> lines = LogReader.since(new LogFiles(dir, "lab07"), ELEVEN, 47 * 10);
        assertThat(lines.get(0).mark()).isTrue();
        assertThat(text(lines.get(0))).startsWith("older lines not replayed");
        assertThat(lines.subList(1, lines.size())).hasSize(10).last().satisfies(l -> assertThat(text(l)).startsWith("after 199 "));
    }

    /** The writer's own log, rotating by size, the clock set back midway, replayed between writes (files renamed meanwhile). */
    @Test
    void aRotatingLogWhoseClockIsSetBackIsReplayedRightBetweenWrites() throws Exception {
        SetClock clock = new SetClock(TEN);
        LogFiles files = new LogFiles(dir, "lab07");
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", new ConsoleLog.Rotation(1500, Duration.ZERO, 100), clock)) {
            for (int i = 0; i < 120; i++) {
                clock.set(TEN.plus(Duration.ofMinutes(i)));
                byte[] b = ("before " + i + "\n").getBytes(US_ASCII);
                log.data(b, 0, b.length);
                if (i % 20 == 0) assertThat(LogReader.since(files, ELEVEN)).hasSize(Math.max(0, i - 59));
            }
            for (int i = 0; i < 200; i++) {
                clock.set(NINE.plus(Duration.ofSeconds(3L * i)));
                byte[] b = ("after " + i + "\n").getBytes(US_ASCII);
                log.data(b, 0, b.length);
                if (i % 20 == 0) assertThat(LogReader.since(files, ELEVEN)).hasSize(60 + i + 1);
            }
        }
        assertThat(files.rotatedNumbers()).hasSizeGreaterThan(5);
        List<Line> lines = LogReader.since(files, ELEVEN);
        assertThat(lines).hasSize(60 + 200);
        assertThat(text(lines.get(0))).isEqualTo("before 60");
        assertThat(text(lines.get(259))).isEqualTo("after 199");
    }

    /** What was read of a file is not trusted once the file changed: a later step back, or other content in its place. */
    @Test
    void aFileThatGrewOrWasRewrittenSinceItWasReadIsReadAgain() throws Exception {
        Path log = dir.resolve("lab07.log");
        LogFiles files = new LogFiles(dir, "lab07");
        Files.writeString(log, records(TEN, Duration.ofMinutes(1), 120, "before", 2000), US_ASCII);
        assertThat(LogReader.since(files, ELEVEN)).hasSize(60);
        // grown: 1000 records stamped from 09:00 after 12:00, a halving search would land among them
        Files.writeString(log, records(NINE, Duration.ofSeconds(1), 1000, "after", 2000), US_ASCII, StandardOpenOption.APPEND);
        assertThat(LogReader.since(files, ELEVEN)).hasSize(60 + 1000);
        // rewritten in place (the same file, longer): what was read of it said 10:00-10:30 in order; now it
        // begins at 11:00 and goes back to 10:40, so the bytes after where that reading stopped say nothing late
        Path other = dir.resolve("lab08.log");
        LogFiles others = new LogFiles(dir, "lab08");
        Files.writeString(other, records(TEN, Duration.ofMinutes(1), 31, "old", 2000), US_ASCII);
        assertThat(LogReader.since(others, ELEVEN)).isEmpty();
        try (FileChannel f = FileChannel.open(other, StandardOpenOption.WRITE)) {
            f.truncate(0);
            f.write(ByteBuffer.wrap((records(ELEVEN, Duration.ofSeconds(1), 10, "late", 20)
                    + records(TEN.plus(Duration.ofMinutes(40)), Duration.ofMillis(500), 2000, "early", 100)).getBytes(US_ASCII)), 0);
        }
        List<Line> lines = LogReader.since(others, ELEVEN.plusSeconds(5));
        assertThat(lines).hasSize(5 + 2000);
        assertThat(text(lines.get(0))).startsWith("late 5 ");
    }
}
