package org.ctys.transport.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fazecast.jSerialComm.SerialPort;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The serial line through its seam: what a pseudo-terminal cannot show (a break held and ended, a
 * driver without one, writes taken in parts, each errno's message). Text, framing and a vanishing
 * line are tested against a real socat pty in SerialLineIT.
 */
class SerialLineTest {
    private static final LineSettings DEFAULTS = new LineSettings(115200, LineSettings.Parity.NONE, 8, 1, LineSettings.Flow.NONE);
    private final RecordingPort port = new RecordingPort();

    @Test
    void aBreakHoldsTheLineAQuarterSecondThenEndsIt() throws Exception {
        SerialLine line = port.line("/dev/ttyS0", DEFAULTS);

        assertThat(line.sendBreak()).isTrue();

        assertThat(port.calls).containsSubsequence("setBreak", "clearBreak");
        assertThat(port.breakNanos).singleElement().satisfies(n -> assertThat(n).isGreaterThanOrEqualTo(SerialLine.BREAK_NANOS));
    }

    @Test
    void aDriverWithoutABreakSaysSoAndTheLineStays() throws Exception {
        SerialLine line = port.line("/dev/ttyS0", DEFAULTS);
        port.breakAnswer = false;
        port.error = Errno.ENOTTY;

        assertThat(line.sendBreak()).isFalse();
        assertThat(port.calls).doesNotContain("clearBreak");
        port.toRead.add("still here".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(line.read(), StandardCharsets.US_ASCII)).isEqualTo("still here");
    }

    @Test
    void aBreakOnALineThatIsGoneIsAnError() throws Exception {
        SerialLine line = port.line("/dev/ttyUSB0", DEFAULTS);
        port.breakAnswer = false;
        port.error = Errno.EIO;

        assertThatThrownBy(line::sendBreak).isInstanceOf(SerialException.class)
                .hasMessage("serial line /dev/ttyUSB0 was lost (input/output error)");
    }

    @Test
    void aBreakThatCannotBeEndedIsAnError() throws Exception {
        SerialLine line = port.line("/dev/ttyS0", DEFAULTS);
        port.clearAnswer = false;
        port.error = Errno.EIO;

        assertThatThrownBy(line::sendBreak).isInstanceOf(SerialException.class)
                .hasMessageContaining("/dev/ttyS0: the break could not be ended");
    }

    @Test
    void theFramingAskedIsTheFramingOpened() throws Exception {
        LineSettings odd7 = new LineSettings(9600, LineSettings.Parity.ODD, 7, 2, LineSettings.Flow.XONXOFF);

        port.line("/dev/ttyS1", odd7);

        assertThat(port.opened).isEqualTo(odd7);
        assertThat(port.calls).containsExactly("open 9600 7o2, flow xonxoff", "waitingReads 100");
    }

    @Test
    void aWriteTheDriverTakesInPartsIsCompleted() throws Exception {
        SerialLine line = port.line("/dev/ttyS0", DEFAULTS);
        port.writeChunk = 3;

        line.write("abcdefgh".getBytes(StandardCharsets.US_ASCII), 7);

        assertThat(port.calls).containsSubsequence("write abc", "write def", "write g");
    }

    @Test
    void nothingArrivedIsEmptyAndAnErrorIsALostLine() throws Exception {
        SerialLine line = port.line("/dev/ttyACM0", DEFAULTS);

        assertThat(line.read()).isEmpty();
        port.gone = true;
        port.error = Errno.EIO;
        assertThatThrownBy(line::read).isInstanceOf(SerialException.class)
                .hasMessage("serial line /dev/ttyACM0 was lost (input/output error)");
        assertThatThrownBy(() -> line.write(new byte[] {'x'}, 1)).hasMessageContaining("was lost");
    }

    @Test
    void eachWayOfFailingToOpenHasItsOwnLine() {
        assertThat(openFailing(Errno.EAGAIN)).isEqualTo("serial line /dev/ttyS0: in use by another program (it holds the line's lock)");
        assertThat(openFailing(Errno.EBUSY)).contains("in use by another program");
        assertThat(openFailing(Errno.EACCES)).contains("permission denied").contains("dialout");
        assertThat(openFailing(Errno.ENOTTY)).contains("not a terminal device");
        assertThat(openFailing(Errno.EINVAL)).contains("the device refused 115200 8n1, flow none");
        assertThat(openFailing(Errno.ENODEV)).contains("no such device");
        assertThat(openFailing(71)).contains("could not be opened (errno 71)");
    }

    private String openFailing(int errno) {
        RecordingPort refusing = new RecordingPort();
        refusing.openAnswer = false;
        refusing.error = errno;
        try {
            refusing.line("/dev/ttyS0", DEFAULTS);
        } catch (SerialException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("opened although the port refused");
    }

    @Test
    void closingTwiceClosesOnce() throws Exception {
        SerialLine line = port.line("/dev/ttyS0", DEFAULTS);
        line.close();
        line.close();
        assertThat(port.calls).filteredOn("close"::equals).hasSize(1);
    }

    /** jSerialComm's constants, which the framing is mapped onto (compile-time constants: the library is not loaded). */
    @Test
    void theFramingMapsOntoJSerialCommsConstants() {
        assertThat(JSerialCommPort.parity(LineSettings.Parity.NONE)).isEqualTo(SerialPort.NO_PARITY);
        assertThat(JSerialCommPort.parity(LineSettings.Parity.EVEN)).isEqualTo(SerialPort.EVEN_PARITY);
        assertThat(JSerialCommPort.parity(LineSettings.Parity.ODD)).isEqualTo(SerialPort.ODD_PARITY);
        assertThat(JSerialCommPort.stopBits(1)).isEqualTo(SerialPort.ONE_STOP_BIT);
        assertThat(JSerialCommPort.stopBits(2)).isEqualTo(SerialPort.TWO_STOP_BITS);
        assertThat(JSerialCommPort.flow(LineSettings.Flow.NONE)).isEqualTo(SerialPort.FLOW_CONTROL_DISABLED);
        assertThat(JSerialCommPort.flow(LineSettings.Flow.RTSCTS))
                .isEqualTo(SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED);
        assertThat(JSerialCommPort.flow(LineSettings.Flow.XONXOFF))
                .isEqualTo(SerialPort.FLOW_CONTROL_XONXOFF_IN_ENABLED | SerialPort.FLOW_CONTROL_XONXOFF_OUT_ENABLED);
    }

    /** A driver that refuses the read timer keeps the line non-blocking as opened: reads go straight to read(2). */
    @Test
    void aDriverThatRefusesTheReadTimerKeepsTheLineNonBlocking() throws Exception {
        port.waitingAnswer = false;
        SerialLine line = port.line("/dev/ttyS0", DEFAULTS);
        port.toRead.add("hi".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(line.read(), StandardCharsets.US_ASCII)).isEqualTo("hi");
        assertThat(port.calls).containsExactly("open " + DEFAULTS, "waitingReads 100", "read");
    }

    /**
     * The line opens with reads that wait a tenth (the descriptor blocking, so that writes block
     * rather than spin), and read() reads only what FIONREAD says is there, so it never waits; the
     * console server's await changes the timer (whole tenths, at most 25.5 s) only when it differs;
     * what it read comes out of the next read.
     */
    @Test
    void awaitSwitchesToWaitingReadsOnceAndReadNeverWaitsAfterIt() throws Exception {
        SerialLine line = port.line("/dev/ttyS0", DEFAULTS);
        assertThat(line.read()).isEmpty();
        assertThat(port.calls).containsExactly("open " + DEFAULTS, "waitingReads 100", "available");

        port.toRead.add("first".getBytes(StandardCharsets.US_ASCII));
        line.await(1050);
        line.await(1000);
        assertThat(port.calls).containsOnlyOnce("waitingReads 1000");
        assertThat(new String(line.read(), StandardCharsets.US_ASCII)).isEqualTo("first");

        port.calls.clear();
        assertThat(line.read()).isEmpty();
        assertThat(port.calls).containsExactly("available");
        port.toRead.add("second".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(line.read(), StandardCharsets.US_ASCII)).isEqualTo("second");

        line.await(600_000);
        assertThat(port.calls).contains("waitingReads " + SerialLine.LONGEST_WAIT_MILLIS);
        port.gone = true;
        port.error = Errno.EIO;
        assertThatThrownBy(line::read).hasMessage("serial line /dev/ttyS0 was lost (input/output error)");
        assertThatThrownBy(() -> line.await(1000)).hasMessage("serial line /dev/ttyS0 was lost (input/output error)");
    }
}
