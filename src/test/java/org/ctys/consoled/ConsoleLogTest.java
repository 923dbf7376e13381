package org.ctys.consoled;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.ctys.consoled.ConsoleLog.Line;
import org.ctys.consoled.ConsoleLog.Rotation;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console log on real files: its format byte for byte, marks, rotation, restarts, reading back. */
class ConsoleLogTest {
    private static final Rotation NEVER = new Rotation(0, Duration.ZERO, 10);

    @TempDir
    Path dir;

    private final SetClock clock = new SetClock("2026-11-30T08:00:00Z");

    private static String stamp(String time) { return "2026-11-30T" + time + "Z"; }

    private String file(String name) throws IOException {
        return Files.readString(dir.resolve(name), ISO_8859_1);
    }

    private static void data(ConsoleLog log, String text) throws IOException {
        byte[] b = text.getBytes(ISO_8859_1);
        log.data(b, 0, b.length);
    }

    private String consoleBytes() throws IOException {
        return new String(ConsoleLog.consoleBytes(dir, "lab07"), ISO_8859_1);
    }

    private static List<String> shown(List<Line> lines) {
        List<String> s = new ArrayList<>();
        for (Line l : lines) s.add(l.at() + (l.mark() ? " *" : " |") + new String(l.text(), UTF_8));
        return s;
    }

    @Test
    void eachRecordIsInTheFileWhenTheCallReturnsStampedWhenItsLineBegan() throws Exception {
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", NEVER, clock)) {
            data(log, "abc");
            // half a line is in the file at once, not when its newline comes
            assertThat(file("lab07.log")).isEqualTo(stamp("08:00:00.000") + " |abc");
            clock.set(Instant.parse(stamp("08:00:01.250")));
            data(log, "def\nghi");
            clock.set(Instant.parse(stamp("08:00:02.007")));
            log.mark("lab07 down: serial\ndevice gone");
            clock.set(Instant.parse(stamp("08:00:03.000")));
            data(log, "jkl\n");
            log.mark("lab07 up");
            clock.set(Instant.parse(stamp("08:00:04.999")));
            data(log, "\n\r\n");
            assertThat(file("lab07.log")).isEqualTo(
                    stamp("08:00:00.000") + " |abcdef\n"
                    + stamp("08:00:01.250") + " |ghi\n"
                    // the mark interrupts the line: its own record, then the line's continuation at once
                    + stamp("08:00:02.007") + " *lab07 down: serial device gone\n"
                    + stamp("08:00:02.007") + " +jkl\n"
                    + stamp("08:00:03.000") + " *lab07 up\n"
                    + stamp("08:00:04.999") + " |\n"
                    + stamp("08:00:04.999") + " |\r\n");
            assertThat(log.bytes()).isEqualTo(Files.size(dir.resolve("lab07.log")));
        }
        assertThat(consoleBytes()).isEqualTo("abcdef\nghijkl\n\n\r\n");
        assertThat(shown(ConsoleLog.last(dir, "lab07", 100))).containsExactly(
                stamp("08:00:00") + " |abcdef", stamp("08:00:01.250") + " |ghi",
                stamp("08:00:02.007") + " *lab07 down: serial device gone", stamp("08:00:02.007") + " |jkl",
                stamp("08:00:03") + " *lab07 up", stamp("08:00:04.999") + " |", stamp("08:00:04.999") + " |\r");
    }

    @Test
    void everyByteValueCarriageReturnsNulsAndLinesWithoutEndComeBackExactly() throws Exception {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", NEVER, clock)) {
            byte[] all = new byte[256];
            for (int i = 0; i < 256; i++) all[i] = (byte) i;
            byte[] long_ = new byte[300_000];
            new Random(7).nextBytes(long_);
            for (int i = 0; i < long_.length; i++) if (long_[i] == '\n') long_[i] = '\r';
            for (byte[] b : List.of(all, "\0\0\r\r\n\n".getBytes(ISO_8859_1), long_, all)) {
                for (int i = 0; i < b.length; i += 1000) {
                    int n = Math.min(1000, b.length - i);
                    log.data(b, i, n);
                    sent.write(b, i, n);
                    clock.advance(Duration.ofMillis(3));
                }
                log.mark("between");
            }
            data(log, "no newline at the end");
            sent.writeBytes("no newline at the end".getBytes(ISO_8859_1));
        }
        assertThat(ConsoleLog.consoleBytes(dir, "lab07")).isEqualTo(sent.toByteArray());
        assertThat(file("lab07.log")).endsWith(" +no newline at the end");
    }

    @Test
    void aQuietConsoleGetsAMarkAfterQuietTimeAndNoneWhenQuietIsZero() throws Exception {
        Duration quiet = Duration.ofMinutes(20);
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", NEVER, clock)) {
            data(log, "login: ");
            Instant t0 = clock.instant();
            log.tick(t0.plus(Duration.ofMinutes(19)), quiet);
            log.tick(t0.plus(Duration.ofMinutes(30)), Duration.ZERO);
            assertThat(file("lab07.log")).isEqualTo(stamp("08:00:00.000") + " |login: ");
            log.tick(t0.plus(quiet), quiet);
            log.tick(t0.plus(Duration.ofMinutes(39)), quiet);
            log.tick(t0.plus(Duration.ofMinutes(40)), quiet);
            clock.set(t0.plus(Duration.ofMinutes(45)));
            data(log, "root\r\n");
            log.tick(t0.plus(Duration.ofMinutes(64)), quiet);
            assertThat(file("lab07.log")).isEqualTo(
                    stamp("08:00:00.000") + " |login: \n"
                    + stamp("08:20:00.000") + " *-- MARK --\n"
                    + stamp("08:20:00.000") + " +\n"
                    + stamp("08:40:00.000") + " *-- MARK --\n"
                    + stamp("08:40:00.000") + " +root\r\n");
        }
        assertThat(consoleBytes()).isEqualTo("login: root\r\n");
        // the empty continuation is no line: the prompt, the marks, then what was typed
        assertThat(shown(ConsoleLog.last(dir, "lab07", 10))).containsExactly(stamp("08:00:00") + " |login: ",
                stamp("08:20:00") + " *-- MARK --", stamp("08:40:00") + " *-- MARK --", stamp("08:40:00") + " |root\r");
    }

    @Test
    void ageRotationCountsFromTheFilesFirstRecordAndTheOpenLineGoesOnInTheNewFile() throws Exception {
        Rotation hourly = new Rotation(0, Duration.ofHours(1), 5);
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", hourly, clock)) {
            Instant opened = clock.instant();
            log.tick(opened.plus(Duration.ofHours(2)), Duration.ZERO);
            assertThat(dir.resolve("lab07.log.1")).doesNotExist(); // an empty file has no age
            Instant t0 = clock.advance(Duration.ofHours(3));
            data(log, "half a li");
            log.tick(t0.plus(Duration.ofMinutes(59)), Duration.ZERO);
            assertThat(dir.resolve("lab07.log.1")).doesNotExist();
            log.tick(t0.plus(Duration.ofHours(1)), Duration.ZERO);
            assertThat(file("lab07.log.1")).isEqualTo(stamp("11:00:00.000") + " |half a li\n");
            assertThat(file("lab07.log")).isEqualTo(stamp("12:00:00.000") + " +");
            // a file holding only that continuation is not rotated again and again
            log.tick(t0.plus(Duration.ofHours(5)), Duration.ZERO);
            assertThat(dir.resolve("lab07.log.2")).doesNotExist();
            clock.set(t0.plus(Duration.ofHours(6)));
            data(log, "ne\n");
            assertThat(log.bytes()).isEqualTo(Files.size(dir.resolve("lab07.log")) + Files.size(dir.resolve("lab07.log.1")));
        }
        assertThat(consoleBytes()).isEqualTo("half a line\n");
        assertThat(shown(ConsoleLog.last(dir, "lab07", 1))).containsExactly(stamp("11:00:00") + " |half a line");
    }

    @Test
    void sizeRotationKeepsOnlyKeepFilesDroppingTheOldest() throws Exception {
        Rotation small = new Rotation(100, Duration.ZERO, 2);
        StringBuilder sent = new StringBuilder();
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", small, clock)) {
            for (int i = 0; i < 10; i++) {
                String line = "line " + i + " " + "x".repeat(10) + "\n";
                data(log, line);
                sent.append(line);
                clock.advance(Duration.ofSeconds(1));
            }
            long onDisk = 0;
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) onDisk += Files.size(p);
            }
            assertThat(log.bytes()).isEqualTo(onDisk);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("lab07.log", "lab07.log.1", "lab07.log.2");
        }
        // two lines a file (the third would pass 100 bytes): lines 4-9 are left
        assertThat(file("lab07.log.2")).startsWith(stamp("08:00:04.000") + " |line 4 ");
        assertThat(file("lab07.log")).startsWith(stamp("08:00:08.000") + " |line 8 ");
        assertThat(consoleBytes()).isEqualTo(sent.substring(sent.indexOf("line 4")));
    }

    @Test
    void keepZeroDropsTheRotatedFile() throws Exception {
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", new Rotation(50, Duration.ZERO, 0), clock)) {
            data(log, "first part of a line ");
            data(log, "and its end, the second part of that line\n");
            assertThat(log.bytes()).isEqualTo(Files.size(dir.resolve("lab07.log")));
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("lab07.log");
        }
        assertThat(consoleBytes()).isEqualTo("and its end, the second part of that line\n");
    }

    @Test
    void aRotationThatFailsIsMarkedTheBytesStillLoggedAndItIsTriedAgainAMinuteLater() throws Exception {
        // what keeps the file from becoming .1: a directory of that name, not empty
        Files.createDirectories(dir.resolve("lab07.log.1/in-the-way"));
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", new Rotation(60, Duration.ZERO, 1), clock)) {
            data(log, "first line of forty bytes or so......\n");
            data(log, "second line\n");
            clock.advance(Duration.ofSeconds(59));
            data(log, "third line\n");
            assertThat(file("lab07.log")).contains(" *cannot rotate " + dir.resolve("lab07.log") + ": ")
                    .contains("trying again in 1 min").contains(" |third line\n");
            Proc.deleteTree(dir.resolve("lab07.log.1"));
            clock.advance(Duration.ofSeconds(1));
            data(log, "fourth line\n");
        }
        assertThat(file("lab07.log")).isEqualTo(stamp("08:01:00.000") + " |fourth line\n");
        assertThat(file("lab07.log.1")).startsWith(stamp("08:00:00.000") + " |first line").contains("|third line\n");
        assertThat(consoleBytes()).isEqualTo("first line of forty bytes or so......\nsecond line\nthird line\nfourth line\n");
    }

    @Test
    void aLineARotationSplitComesBackAsOneLine() throws Exception {
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", new Rotation(60, Duration.ZERO, 3), clock)) {
            data(log, "the first half of a line,");
            clock.advance(Duration.ofSeconds(5));
            data(log, " the second half\n");
            data(log, "next");
        }
        assertThat(file("lab07.log.1")).isEqualTo(stamp("08:00:00.000") + " |the first half of a line,\n");
        assertThat(file("lab07.log")).startsWith(stamp("08:00:05.000") + " + the second half\n");
        assertThat(consoleBytes()).isEqualTo("the first half of a line, the second half\nnext");
        assertThat(shown(ConsoleLog.last(dir, "lab07", 2))).containsExactly(
                stamp("08:00:00") + " |the first half of a line, the second half", stamp("08:00:05") + " |next");
        assertThat(shown(ConsoleLog.since(dir, "lab07", Instant.parse(stamp("08:00:00"))))).hasSize(2);
    }

    @Test
    void aRestartedLogContinuesTheFileAndTheOpenLine() throws Exception {
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", NEVER, clock)) {
            data(log, "abc\nde");
        }
        clock.advance(Duration.ofMinutes(5));
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", NEVER, clock)) {
            assertThat(log.bytes()).isEqualTo(Files.size(dir.resolve("lab07.log")));
            data(log, "f\n");
            data(log, "gh");
            log.mark("daemon stopping");
        }
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", NEVER, clock)) {
            log.mark("lab07 up");
            data(log, "i\n");
            log.mark("daemon stopping");
        }
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", NEVER, clock)) {
            data(log, "j");
        }
        assertThat(file("lab07.log")).isEqualTo(stamp("08:00:00.000") + " |abc\n"
                + stamp("08:00:00.000") + " |def\n"
                + stamp("08:05:00.000") + " |gh\n"
                + stamp("08:05:00.000") + " *daemon stopping\n"
                + stamp("08:05:00.000") + " +\n"
                + stamp("08:05:00.000") + " *lab07 up\n"
                + stamp("08:05:00.000") + " +i\n"
                + stamp("08:05:00.000") + " *daemon stopping\n"
                + stamp("08:05:00.000") + " |j");
        assertThat(consoleBytes()).isEqualTo("abc\ndef\nghi\nj");
    }

    @Test
    void aRestartedLogKnowsItsFilesAgeFromTheFirstRecord() throws Exception {
        Rotation hourly = new Rotation(0, Duration.ofHours(1), 5);
        Instant t0 = clock.instant();
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", hourly, clock)) {
            data(log, "booting\n");
        }
        clock.set(t0.plus(Duration.ofMinutes(30)));
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", hourly, clock)) {
            log.tick(t0.plus(Duration.ofMinutes(59)), Duration.ZERO);
            assertThat(dir.resolve("lab07.log.1")).doesNotExist();
            log.tick(t0.plus(Duration.ofMinutes(60)), Duration.ZERO);
            assertThat(file("lab07.log.1")).isEqualTo(stamp("08:00:00.000") + " |booting\n");
        }
    }

    @Test
    void aRotationCutShortAfterItsRenameIsFinishedByTheNextOpen() throws Exception {
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", NEVER, clock)) {
            data(log, "abc");
        }
        // the daemon died right after renaming the file: no new file, the old one's line open
        Files.move(dir.resolve("lab07.log"), dir.resolve("lab07.log.1"));
        clock.advance(Duration.ofSeconds(1));
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", NEVER, clock)) {
            data(log, "def\n");
        }
        assertThat(file("lab07.log.1")).isEqualTo(stamp("08:00:00.000") + " |abc\n");
        assertThat(file("lab07.log")).isEqualTo(stamp("08:00:01.000") + " +def\n");
        assertThat(consoleBytes()).isEqualTo("abcdef\n");
    }

    @Test
    void lastAndSinceReadAcrossRotatedFiles() throws Exception {
        Instant t0 = clock.instant();
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", new Rotation(300, Duration.ZERO, 100), clock)) {
            for (int i = 0; i < 50; i++) {
                clock.set(t0.plusSeconds(i));
                data(log, "line " + i + "\r\n");
                if (i % 10 == 9) log.mark("mark " + i);
            }
        }
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < 50; i++) sent.append("line ").append(i).append("\r\n");
        assertThat(consoleBytes()).isEqualTo(sent.toString());
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isGreaterThan(5);
        }
        assertThat(shown(ConsoleLog.last(dir, "lab07", 4))).containsExactly(stamp("08:00:47") + " |line 47\r",
                stamp("08:00:48") + " |line 48\r", stamp("08:00:49") + " |line 49\r", stamp("08:00:49") + " *mark 49");
        List<String> since = shown(ConsoleLog.since(dir, "lab07", t0.plusSeconds(18)));
        assertThat(since).first().isEqualTo(stamp("08:00:18") + " |line 18\r");
        assertThat(since).hasSize(32 + 4).last().isEqualTo(stamp("08:00:49") + " *mark 49");
        assertThat(ConsoleLog.since(dir, "lab07", t0.plusSeconds(60))).isEmpty();
        assertThat(ConsoleLog.since(dir, "lab07", t0.minusSeconds(60))).hasSize(55);
        assertThat(ConsoleLog.last(dir, "lab07", 1000)).hasSize(55);
        assertThat(ConsoleLog.last(dir, "lab07", 0)).isEmpty();
        assertThat(ConsoleLog.last(dir, "nothing-logged", 20)).isEmpty();
        assertThat(ConsoleLog.since(dir.resolve("missing"), "lab07", t0)).isEmpty();
        assertThat(ConsoleLog.consoleBytes(dir, "nothing-logged")).isEmpty();
    }

    @Test
    void aReplayReadsAtMostItsBytesTheNewestOnesAndSaysSo() throws Exception {
        Instant t0 = clock.instant();
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", new Rotation(300, Duration.ZERO, 100), clock)) {
            for (int i = 0; i < 50; i++) {
                clock.set(t0.plusSeconds(i));
                data(log, "line " + i + "\r\n");
            }
        }
        LogFiles files = new LogFiles(dir, "lab07");
        // each record is 24 bytes of stamp and tag plus its text (9 bytes) and \n: 200 bytes hold 5 of them
        for (List<Line> lines : List.of(LogReader.since(files, t0.minusSeconds(60), 200), LogReader.last(files, 1000, 200))) {
            List<String> shown = shown(lines);
            assertThat(shown.get(0)).endsWith("*older lines not replayed: a replay reads at most 200 bytes of the log; the rest is in its files");
            assertThat(shown.subList(1, shown.size())).hasSizeBetween(4, 5).last().isEqualTo(stamp("08:00:49") + " |line 49\r");
        }
        // within the bound nothing is left out, and nothing said
        assertThat(shown(LogReader.since(files, t0.plusSeconds(47), 200))).containsExactly(stamp("08:00:47") + " |line 47\r",
                stamp("08:00:48") + " |line 48\r", stamp("08:00:49") + " |line 49\r");
        assertThat(LogReader.last(files, 3, 200)).hasSize(3);
    }

    /** A console that printed more than the bound without a newline: the replay still shows (the end of) that line. */
    @Test
    void aLineLongerThanTheReplayBoundIsReplayedByItsEnd() throws Exception {
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", NEVER, clock)) {
            data(log, "before\n");
            data(log, "x".repeat(5000) + "END");
        }
        LogFiles files = new LogFiles(dir, "lab07");
        for (List<Line> lines : List.of(LogReader.since(files, Instant.EPOCH, 1000), LogReader.last(files, 10, 1000))) {
            assertThat(lines).as(shown(lines).toString()).isNotEmpty();
            assertThat(new String(lines.get(lines.size() - 1).text(), UTF_8)).endsWith("xxxEND");
        }
    }

    @Test
    void aLinkInPlaceOfTheLogIsNeitherWrittenThroughNorReplayed() throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere")).resolve("secret");
        Files.writeString(elsewhere, stamp("07:00:00.000") + " |the root password is hunter2\n");
        Path logs = Files.createDirectory(dir.resolve("logs"));
        Files.createSymbolicLink(logs.resolve("lab07.log"), elsewhere);
        assertThatThrownBy(() -> ConsoleLog.open(logs, "lab07", NEVER, clock)).isInstanceOf(IOException.class)
                .hasMessageContaining("lab07.log is not a regular file (a symbolic link?)");
        assertThat(Files.readString(elsewhere)).isEqualTo(stamp("07:00:00.000") + " |the root password is hunter2\n");
        Files.delete(logs.resolve("lab07.log"));
        Files.createSymbolicLink(logs.resolve("lab07.log.1"), elsewhere);
        try (ConsoleLog log = ConsoleLog.open(logs, "lab07", NEVER, clock)) {
            data(log, "the console's own line\n");
        }
        assertThat(shown(ConsoleLog.last(logs, "lab07", 10))).containsExactly(stamp("08:00:00") + " |the console's own line");
        assertThat(shown(ConsoleLog.since(logs, "lab07", Instant.EPOCH))).containsExactly(stamp("08:00:00") + " |the console's own line");
    }

    @Test
    void aLogDirectoryOtherUsersCanWriteIsRefused() throws Exception {
        Path logs = Files.createDirectory(dir.resolve("logs"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> ConsoleLog.open(logs, "lab07", NEVER, clock)).isInstanceOf(IOException.class)
                .hasMessage("the log directory " + logs + " is writable by everyone (rwxrwxrwx): another user could replace a"
                        + " console's log; chmod go-w " + logs);
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxrwx---"));
        assertThatThrownBy(() -> ConsoleLog.open(logs, "lab07", NEVER, clock)).hasMessageContaining("is writable by its group");
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxr-x---"));
        try (ConsoleLog log = ConsoleLog.open(logs, "lab07", NEVER, clock)) {
            data(log, "fine\n");
        }
        assertThat(Files.list(logs).count()).isEqualTo(1);
    }

    @Test
    void sinceFindsItsPlaceInALargeFileByHalving() throws Exception {
        Instant t0 = clock.instant();
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", NEVER, clock)) {
            for (int i = 0; i < 40_000; i++) {
                clock.set(t0.plusMillis(i * 10L));
                data(log, "record " + i + " " + "y".repeat(i % 90) + "\n");
            }
        }
        assertThat(Files.size(dir.resolve("lab07.log"))).isGreaterThan(3_000_000);
        for (int i : new int[] {0, 1, 777, 20_000, 39_998, 39_999}) {
            List<Line> lines = ConsoleLog.since(dir, "lab07", t0.plusMillis(i * 10L - 5));
            assertThat(lines).hasSize(40_000 - i);
            assertThat(new String(lines.get(0).text(), UTF_8)).startsWith("record " + i + " ");
        }
    }

    @Test
    void lastReadsFromTheEndNotTheWholeFile() throws Exception {
        // a terabyte with its lines at the end (a sparse file: no disk used); read whole, it would take many minutes
        Path log = dir.resolve("lab07.log");
        try (var f = java.nio.channels.FileChannel.open(log, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long start = 1L << 40;
            StringBuilder tail = new StringBuilder("\n");
            for (int i = 0; i < 30; i++) tail.append(stamp("08:00:00.000")).append(" |line ").append(i).append('\n');
            f.write(java.nio.ByteBuffer.wrap(tail.toString().getBytes(UTF_8)), start);
        }
        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> ConsoleLog.last(dir, "lab07", 20))).hasSize(20).first()
                .satisfies(l -> assertThat(new String(l.text(), UTF_8)).isEqualTo("line 10"));
    }

    @Test
    void aCorruptLineAndACutRecordAreSkippedAndTheLogGoesOnAfterThem() throws Exception {
        Files.writeString(dir.resolve("lab07.log.1"), stamp("08:00:00.000") + " |one\n"
                + "garbage without a stamp\n"
                + "2026-13-40T08:00:00.000Z |a month that is none\n"
                + stamp("08:00:01.000") + " ?unknown tag\n"
                + "\n"
                + stamp("08:00:02.000") + " |two\n", ISO_8859_1);
        Files.writeString(dir.resolve("lab07.log"), stamp("08:00:03.000") + " |three\n" + "2026-11-30T08:0", ISO_8859_1);
        assertThat(shown(ConsoleLog.last(dir, "lab07", 10)))
                .containsExactly(stamp("08:00:00") + " |one", stamp("08:00:02") + " |two", stamp("08:00:03") + " |three");
        assertThat(shown(ConsoleLog.since(dir, "lab07", Instant.parse(stamp("08:00:00"))))).hasSize(3);
        assertThat(consoleBytes()).isEqualTo("one\ntwo\nthree\n");
        clock.set(Instant.parse(stamp("08:00:04")));
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", NEVER, clock)) {
            data(log, "four");
        }
        // the cut record is ended, so the new one is not glued to it
        assertThat(file("lab07.log")).endsWith("2026-11-30T08:0\n" + stamp("08:00:04.000") + " |four");
        assertThat(consoleBytes()).isEqualTo("one\ntwo\nthree\nfour");
    }

    @Test
    void anInterruptedWriterThreadStillLogs() throws Exception {
        try (ConsoleLog log = ConsoleLog.open(dir, "lab07", NEVER, clock)) {
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    Thread.currentThread().interrupt(); // as a daemon stopping its reader threads would
                    data(log, "read while interrupted\n");
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            reader.start();
            reader.join(10_000);
            assertThat(reader.isAlive()).isFalse();
            assertThat(failed.get()).isNull();
            data(log, "and after\n");
        }
        assertThat(consoleBytes()).isEqualTo("read while interrupted\nand after\n");
    }

    @Test
    void aMissingDirectoryAndFileAreMadePrivateToTheGroup() throws Exception {
        Path logs = dir.resolve("var/log/consoles");
        try (ConsoleLog log = ConsoleLog.open(logs, "lab07", NEVER, clock)) {
            data(log, "x");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(logs))).isEqualTo("rwxr-x---");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(logs.resolve("lab07.log")))).isEqualTo("rw-r-----");
    }

    @Test
    void namesThatAreNoConsoleNamesAndBadRotationsAreRefused() throws Exception {
        for (String bad : new String[] {"../etc", "a/b", ".hidden", "", "x".repeat(64)}) {
            assertThatThrownBy(() -> ConsoleLog.open(dir, bad, NEVER, clock)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("console name");
            assertThatThrownBy(() -> ConsoleLog.last(dir, bad, 1)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new Rotation(-1, Duration.ZERO, 1)).hasMessageContaining("size");
        assertThatThrownBy(() -> new Rotation(1, Duration.ofSeconds(-1), 1)).hasMessageContaining("age");
        assertThatThrownBy(() -> new Rotation(1, Duration.ZERO, -1)).hasMessageContaining("keep");
        assertThat(Rotation.DEFAULT).isEqualTo(new Rotation(10 * 1024 * 1024, Duration.ofDays(1), 10));
    }

    @Test
    void aClosedLogRefusesDataAndIgnoresTicks() throws Exception {
        ConsoleLog log = ConsoleLog.open(dir, "lab07", NEVER, clock);
        data(log, "x");
        log.close();
        log.close();
        assertThatThrownBy(() -> data(log, "y")).isInstanceOf(IOException.class).hasMessageContaining("lab07").hasMessageContaining("closed");
        assertThatThrownBy(() -> log.mark("m")).isInstanceOf(IOException.class);
        log.tick(clock.instant().plus(Duration.ofDays(9)), Duration.ofSeconds(1));
        assertThat(consoleBytes()).isEqualTo("x");
    }
}
