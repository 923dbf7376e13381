package org.ctys.transport.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SocatPty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serial line through jSerialComm against a real line: a socat pty pair. The framing is read
 * back with {@code stty -F} on the end the line opened: a pty pair carries bytes, not line settings,
 * so each end keeps its own termios and the far end shows socat's, whatever ctys asked.
 */
class SerialLineIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final LineSettings DEFAULTS = new LineSettings(115200, LineSettings.Parity.NONE, 8, 1, LineSettings.Flow.NONE);

    @TempDir Path dir;
    private SocatPty pty;

    @BeforeEach
    void start() {
        pty = SocatPty.start(dir);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (pty != null) pty.close();
    }

    @Test
    void textGoesBothWays() throws Exception {
        try (SerialLine line = SerialLine.open(pty.line().toString(), DEFAULTS)) {
            byte[] typed = "root\r".getBytes(StandardCharsets.US_ASCII);
            line.write(typed, typed.length);
            pty.farAwait(s -> s.contains("root\r"), WAIT);

            pty.farWrite("login: ");
            assertThat(readUntil(line, "login: ")).isEqualTo("login: ");
        }
    }

    @Test
    void theDefaultsAre115200EightNoneOneWithoutFlowControl() throws Exception {
        try (SerialLine line = SerialLine.open(pty.line().toString(), DEFAULTS)) {
            String stty = pty.lineStty();
            assertThat(stty).contains("speed 115200 baud");
            assertThat(words(stty)).contains("cs8", "-parenb", "-cstopb", "-crtscts", "-ixon", "-ixoff", "-icanon", "-echo");
        }
    }

    @Test
    void speedStopBitsAndHardwareFlowControlAreApplied() throws Exception {
        try (SerialLine line = SerialLine.open(pty.line().toString(),
                new LineSettings(9600, LineSettings.Parity.NONE, 8, 2, LineSettings.Flow.RTSCTS))) {
            String stty = pty.lineStty();
            assertThat(stty).contains("speed 9600 baud");
            assertThat(words(stty)).contains("cstopb", "crtscts", "-ixon", "-ixoff");
        }
    }

    @Test
    void softwareFlowControlIsBothDirections() throws Exception {
        try (SerialLine line = SerialLine.open(pty.line().toString(),
                new LineSettings(57600, LineSettings.Parity.NONE, 8, 1, LineSettings.Flow.XONXOFF))) {
            String stty = pty.lineStty();
            assertThat(stty).contains("speed 57600 baud");
            assertThat(words(stty)).contains("ixon", "ixoff", "-crtscts", "-cstopb");
        }
    }

    /**
     * Parity and 7 bits reach the kernel (the input checks that go with them stay set), but a pty
     * keeps 8 data bits without parity: Linux's pty driver clears PARENB and CSIZE on every change.
     */
    @Test
    void parityAndSevenBitsReachThePtyWhichKeepsEightWithoutParity() throws Exception {
        try (SerialLine line = SerialLine.open(pty.line().toString(),
                new LineSettings(9600, LineSettings.Parity.ODD, 7, 1, LineSettings.Flow.NONE))) {
            assertThat(words(pty.lineStty())).contains("parodd", "inpck", "istrip", "cs8", "-parenb");
        }
        try (SerialLine line = SerialLine.open(pty.line().toString(),
                new LineSettings(9600, LineSettings.Parity.EVEN, 8, 1, LineSettings.Flow.NONE))) {
            assertThat(words(pty.lineStty())).contains("-parodd", "inpck", "-istrip");
        }
    }

    /** A pty has no break: the request is accepted (Linux answers TIOCSBRK with success when a driver has none). */
    @Test
    void aBreakOnAPtyIsAccepted() throws Exception {
        try (SerialLine line = SerialLine.open(pty.line().toString(), DEFAULTS)) {
            assertThat(line.sendBreak()).isTrue();
            byte[] after = "after\r".getBytes(StandardCharsets.US_ASCII);
            line.write(after, after.length);
            assertThat(pty.farAwait(s -> s.contains("after\r"), WAIT)).isEqualTo("after\r");
        }
    }

    /**
     * The machine sends XOFF and never XON: a write fails after the stall bound, naming flow control,
     * instead of spinning in jSerialComm for good; the next fails at once, and closing the line ends
     * the stalled write's thread.
     */
    @Test
    void aLineHeldByXoffFailsAWriteAfterTheStallBoundAndClosingEndsIt() throws Exception {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            SerialLine line = SerialLine.open(pty.line().toString(),
                    new LineSettings(115200, LineSettings.Parity.NONE, 8, 1, LineSettings.Flow.XONXOFF));
            try {
                byte[] before = "before\r".getBytes(StandardCharsets.US_ASCII);
                line.write(before, before.length);
                pty.farAwait(t -> t.contains("before\r"), WAIT);
                pty.farWrite("\u0013"); // XOFF
                Thread.sleep(200);
                byte[] typed = "x".repeat(5000).getBytes(StandardCharsets.US_ASCII);
                long start = System.nanoTime();
                assertThatThrownBy(() -> line.write(typed, typed.length)).isInstanceOf(SerialException.class)
                        .hasMessage("serial line " + pty.line() + " took no input for 5 s: flow control holds it (the machine"
                                + " sent XOFF, or CTS is low)");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(10));
                start = System.nanoTime();
                assertThatThrownBy(() -> line.write(typed, 1)).hasMessageContaining("took no input");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            } finally {
                line.close();
            }
            assertThat(Proc.await(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().equals("ctys-serial-write") && t.isAlive()), WAIT))
                    .as("the stalled write's thread ended with the line").isTrue();
        });
    }

    @Test
    void aLineWhoseOtherSideVanishesIsLost() throws Exception {
        try (SerialLine line = SerialLine.open(pty.line().toString(), DEFAULTS)) {
            pty.vanish();
            assertThat(Proc.await(() -> {
                try {
                    line.read();
                    return false;
                } catch (SerialException e) {
                    assertThat(e.getMessage()).startsWith("serial line " + pty.line() + " was lost (");
                    return true;
                }
            }, WAIT)).as("the read fails once socat is gone").isTrue();
        }
    }

    @Test
    void aLineAnotherProgramHoldsIsInUse() throws Exception {
        Process holder = new ProcessBuilder(Proc.require("flock", "util-linux"), pty.line().toString(),
                Proc.require("sleep", "coreutils"), "60").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(Proc.await(() -> Proc.quietly("flock", "-n", pty.line().toString(), "true").exit() != 0, WAIT))
                    .as("flock holds the line").isTrue();
            assertThatThrownBy(() -> SerialLine.open(pty.line().toString(), DEFAULTS))
                    .isInstanceOf(SerialException.class)
                    .hasMessage("serial line " + pty.line() + ": in use by another program (it holds the line's lock)");
        } finally {
            Proc.stop(holder);
        }
    }

    @Test
    void whatIsNotASerialLineIsNamed() throws Exception {
        assertThatThrownBy(() -> SerialLine.open("/dev/null", DEFAULTS))
                .hasMessage("serial line /dev/null: not a terminal device, so not a serial line");
        assertThatThrownBy(() -> SerialLine.open(dir.resolve("nothing").toString(), DEFAULTS))
                .hasMessage("serial line " + dir.resolve("nothing") + ": no such device");
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> SerialLine.open(file.toString(), DEFAULTS))
                .hasMessageStartingWith("serial line " + file + ": not a character device");
    }

    private static String readUntil(SerialLine line, String expected) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean seen = Proc.await(() -> {
            try {
                got.writeBytes(line.read());
            } catch (SerialException e) {
                throw new AssertionError(e.getMessage(), e);
            }
            return got.toString(StandardCharsets.US_ASCII).contains(expected);
        }, WAIT);
        assertThat(seen).as("'" + expected + "' arrived; got '" + got + "'").isTrue();
        return got.toString(StandardCharsets.US_ASCII);
    }

    private static List<String> words(String stty) {
        return List.of(stty.split("[\\s;]+"));
    }
}
