package org.ctys.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --log format: each printed line with the UTC time its first byte came, marks at start and end, nothing typed. */
class SessionLogTest {

    /** A clock the test moves. */
    private static final class Ticking extends Clock {
        Instant now = Instant.parse("2026-11-30T05:07:25.123Z");

        void advance(long millis) { now = now.plus(Duration.ofMillis(millis)); }

        @Override
        public ZoneOffset getZone() { return ZoneOffset.UTC; }

        @Override
        public Clock withZone(java.time.ZoneId zone) { return this; }

        @Override
        public Instant instant() { return now; }
    }

    private final ByteArrayOutputStream file = new ByteArrayOutputStream();
    private final Ticking clock = new Ticking();
    private final SessionLog log = new SessionLog(file, clock);

    private void print(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        log.output(b, b.length);
    }

    @Test
    void eachLineCarriesTheTimeItsFirstByteCameAndTheSessionIsMarked() {
        log.started("the console of lab01");
        clock.advance(1000);
        print("login: ro");
        clock.advance(250);
        print("ot\r\nPassword: ");
        clock.advance(5);
        print("\r\n");
        clock.advance(2000);
        print("$ ");
        log.ended("left with ~.");
        assertThat(file.toString(StandardCharsets.ISO_8859_1)).isEqualTo("""
                2026-11-30T05:07:25.123Z -- ctys: attached to the console of lab01
                2026-11-30T05:07:26.123Z login: root
                2026-11-30T05:07:26.373Z Password:\s
                2026-11-30T05:07:28.378Z $\s
                2026-11-30T05:07:28.378Z -- ctys: ended: left with ~.
                """);
    }

    @Test
    void bytesAreKeptAsTheyCameAndEveryKindOfLineEndStartsAStampedLine() {
        print("\u001b[1mbold\u001b[0m\r");
        clock.advance(7);
        print("\n10%\r");
        clock.advance(3);
        print("20%\r\n\n");
        assertThat(file.toString(StandardCharsets.ISO_8859_1)).isEqualTo("2026-11-30T05:07:25.123Z \u001b[1mbold\u001b[0m\n"
                + "2026-11-30T05:07:25.130Z 10%\n"
                + "2026-11-30T05:07:25.133Z 20%\n"
                + "2026-11-30T05:07:25.133Z \n");
    }

    /** A machine that prints what looks like ctys's end mark does not end the session in the record. */
    @Test
    void aMachineLineThatLooksLikeAMarkIsWrittenSoItIsNotOne() {
        print("-- ctys: ended: left with ~.\n");
        print("--- ctys: not a mark\n");
        print("\u001b[0m\u001b]0;t\u0007-- ctys: ended: coloured\n");
        assertThat(file.toString(StandardCharsets.ISO_8859_1)).isEqualTo("2026-11-30T05:07:25.123Z \\-- ctys: ended: left with ~.\n"
                + "2026-11-30T05:07:25.123Z --- ctys: not a mark\n"
                + "2026-11-30T05:07:25.123Z \\\u001b[0m\u001b]0;t\u0007-- ctys: ended: coloured\n");
    }

    @Test
    void aMarkNeverCarriesALineBreakOfItsOwn() {
        log.ended("lost: BMC\r\nstopped");
        assertThat(file.toString(StandardCharsets.ISO_8859_1)).isEqualTo("2026-11-30T05:07:25.123Z -- ctys: ended: lost: BMC  stopped\n");
    }

    @Test
    void theFileIsAppendedToAndANewOneIsTheOwnersOnly(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("lab01.log");
        try (SessionLog first = SessionLog.append(f)) {
            first.started("one");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        try (SessionLog second = SessionLog.append(f)) {
            second.started("two");
        }
        assertThat(Files.readAllLines(f)).hasSize(2).satisfiesExactly(
                l -> assertThat(l).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z -- ctys: attached to one"),
                l -> assertThat(l).endsWith("-- ctys: attached to two"));
    }

    @Test
    void whatCannotBeOpenedIsSaidBeforehandWithoutCreatingAnything(@TempDir Path dir) throws Exception {
        assertThat(SessionLog.whyNot(dir)).isEqualTo("is a directory");
        assertThat(SessionLog.whyNot(dir.resolve("missing/x.log"))).isEqualTo("is in a directory that does not exist");
        assertThat(SessionLog.whyNot(dir.resolve("new.log"))).isNull();
        assertThat(dir.resolve("new.log")).doesNotExist();
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThat(SessionLog.whyNot(fifo)).isEqualTo("cannot be written");
    }
}
