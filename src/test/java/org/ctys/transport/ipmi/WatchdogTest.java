package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The watchdog's requests and answers as bytes (IPMI v2.0, 27.6 and 27.7). */
class WatchdogTest {

    @Test
    void armingSetsSmsOsAHardResetNoPreTimeoutAndTheCountdownIn100msLittleEndian() {
        // 10m = 6000 x 100 ms = 0x1770; the SMS/OS expiration flag (bit 4) cleared; don't stop (bit 6)
        assertThat(Watchdog.arm(Duration.ofMinutes(10))).containsExactly(0x44, 0x01, 0x00, 0x10, 0x70, 0x17);
        assertThat(Watchdog.arm(Duration.ofMillis(6553_500))).containsExactly(0x44, 0x01, 0x00, 0x10, 0xff, 0xff);
        // a part of 100 ms counts whole: the reset never comes early
        assertThat(Watchdog.arm(Duration.ofMillis(1001))).containsExactly(0x44, 0x01, 0x00, 0x10, 0x0b, 0x00);
    }

    @Test
    void aCountdownBeyond6553And5SecondsIsRefused() {
        assertThatThrownBy(() -> Watchdog.arm(Duration.ofMillis(6553_501))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("6553.5s");
        assertThat(Watchdog.MAX_COUNTDOWN).isEqualTo(org.ctys.spi.BmcWatchdog.MAX_COUNTDOWN);
    }

    @Test
    void disarmingStopsTheTimerWithNoActionAndClearsTheSmsOsFlag() {
        assertThat(Watchdog.disarm(6000)).containsExactly(0x04, 0x00, 0x00, 0x10, 0x70, 0x17);
    }

    @Test
    void anAnswerReadsUseRunningActionFlagsAndBothCountdowns() {
        Watchdog w = Watchdog.parse(bytes(0x44, 0x01, 0x00, 0x00, 0x70, 0x17, 0x2c, 0x01));
        assertThat(w).isEqualTo(new Watchdog(4, true, 1, 0, 6000, 300));
        assertThat(w.firedAsSmsOs()).isFalse();
        assertThat(w.text()).isEqualTo("running, hard reset after 600.0s (30.0s left)");
    }

    @Test
    void anExpiredSmsOsTimerSaysItFiredAndAShortAnswerHasNoPresentCountdown() {
        // ipmi_sim answers six data bytes: the present countdown is left out
        Watchdog w = Watchdog.parse(bytes(0x44, 0x01, 0x00, 0x10, 0x1e, 0x00));
        assertThat(w.firedAsSmsOs()).isTrue();
        assertThat(w.present()).isEqualTo(-1);
        assertThat(w.text()).isEqualTo("running, hard reset after 3.0s, expired");
        // another use's flag (BIOS/POST, bit 2) is not ctys's
        assertThat(Watchdog.parse(bytes(0x02, 0x01, 0x00, 0x04, 0x1e, 0x00)).firedAsSmsOs()).isFalse();
        assertThatThrownBy(() -> Watchdog.parse(bytes(0x44, 0x01))).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }
}
