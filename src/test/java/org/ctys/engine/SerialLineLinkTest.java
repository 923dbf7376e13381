package org.ctys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.ctys.console.ConsoleLink;
import org.ctys.inventory.SerialSettings;
import org.ctys.transport.serial.LineSettings;
import org.ctys.transport.serial.RecordingPort;
import org.junit.jupiter.api.Test;

/** The serial line as a console's far end: ~B's break reaches the line; the framing is carried over whole. */
class SerialLineLinkTest {

    @Test
    void theLinksBreakIsTheLinesBreak() throws Exception {
        RecordingPort port = new RecordingPort();
        ConsoleLink link = new SerialLineLink(port.line("/dev/ttyS0", SerialLineLink.framing(SerialSettings.defaults("/dev/ttyS0"))));

        assertThat(link.sendBreak()).isTrue();

        assertThat(port.calls).containsSubsequence("setBreak", "clearBreak");
    }

    @Test
    void aLineWhoseDriverHasNoBreakTellsTheConsoleSo() throws Exception {
        RecordingPort port = new RecordingPort();
        port.breakAnswer = false;
        port.error = 25; // ENOTTY
        ConsoleLink link = new SerialLineLink(port.line("/dev/ttyS0", SerialLineLink.framing(SerialSettings.defaults("/dev/ttyS0"))));

        assertThat(link.sendBreak()).isFalse();
    }

    @Test
    void everyFramingValueIsCarriedToTheTransport() {
        SerialSettings s = SerialSettings.defaults("/dev/ttyUSB0").withSpeed(9600).withParity(SerialSettings.Parity.EVEN)
                .withDataBits(7).withStopBits(2).withFlow(SerialSettings.Flow.RTSCTS);

        assertThat(SerialLineLink.framing(s))
                .isEqualTo(new LineSettings(9600, LineSettings.Parity.EVEN, 7, 2, LineSettings.Flow.RTSCTS));
        for (SerialSettings.Parity p : SerialSettings.Parity.values()) {
            assertThat(SerialLineLink.framing(s.withParity(p)).parity().name()).isEqualTo(p.name());
        }
        for (SerialSettings.Flow f : SerialSettings.Flow.values()) {
            assertThat(SerialLineLink.framing(s.withFlow(f)).flow().name()).isEqualTo(f.name());
        }
    }
}
