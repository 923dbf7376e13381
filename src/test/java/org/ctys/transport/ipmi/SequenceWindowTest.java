package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/** The sliding window on a BMC's session sequence numbers (IPMI v2.0, 6.12.13 and 6.12.14). */
class SequenceWindowTest {

    @Test
    void numbersInOrderAreTakenOnce() {
        SequenceWindow w = new SequenceWindow();
        for (int n = 1; n <= 200; n++) {
            assertThat(w.accept(n)).as("first " + n).isTrue();
            assertThat(w.accept(n)).as("again " + n).isFalse();
        }
        assertThat(w.highest()).isEqualTo(200);
    }

    @Test
    void theFirstNumberIsOneToThirtyTwo() {
        assertThat(new SequenceWindow().accept(0)).isFalse();
        assertThat(new SequenceWindow().accept(33)).isFalse();
        assertThat(new SequenceWindow().accept(-1)).as("FFFFFFFFh is not just below 1").isFalse();
        SequenceWindow w = new SequenceWindow();
        assertThat(w.accept(32)).isTrue();
        assertThat(w.accept(1)).as("overtaken, not seen yet").isTrue();
    }

    @Test
    void aPacketOvertakenByLaterOnesIsTakenWhileInTheWindow() {
        SequenceWindow w = new SequenceWindow();
        for (int n = 1; n <= 40; n++) {
            if (n != 20) w.accept(n);
        }
        assertThat(w.accept(20)).as("20 behind 40: inside the 31 below").isTrue();
        assertThat(w.accept(20)).isFalse();
        assertThat(w.accept(9)).as("31 behind 40, seen").isFalse();
        SequenceWindow late = new SequenceWindow();
        for (int n = 2; n <= 33; n++) late.accept(n);
        assertThat(late.accept(1)).as("32 behind: outside").isFalse();
    }

    @Test
    void aJumpOfMoreThanTheWindowIsRefused() {
        SequenceWindow w = new SequenceWindow();
        w.accept(1);
        assertThat(w.accept(1 + SequenceWindow.SIZE + 1)).isFalse();
        assertThat(w.accept(1 + SequenceWindow.SIZE)).isTrue();
        assertThat(w.accept(1)).as("now 32 behind").isFalse();
    }

    @Test
    void aReplaySixtyFourRepliesLaterIsRefused() {
        // ctys's request sequence repeats every 64 requests; each answered one moves the window
        SequenceWindow w = new SequenceWindow();
        for (int n = 1; n <= 65; n++) w.accept(n);
        for (int old = 1; old <= 65; old++) assertThat(w.accept(old)).as("replay of " + old).isFalse();
    }

    @Test
    void theCountGoesOverTheTopSkippingZero() {
        // a whole turn in strides of the window: 134 million numbers, well under a second
        SequenceWindow w = new SequenceWindow();
        int n = 1;
        assertThat(w.accept(n)).isTrue();
        while (n != 0xFFFFFFE1) {
            n += SequenceWindow.SIZE;
            if (!w.accept(n)) fail("refused " + Integer.toUnsignedString(n));
        }
        assertThat(w.accept(-3)).isTrue();
        assertThat(w.accept(-1)).isTrue();
        assertThat(w.accept(0)).isFalse();
        assertThat(w.accept(1)).as("FFFFFFFFh, then 1").isTrue();
        assertThat(w.accept(-3)).as("seen before the top").isFalse();
        assertThat(w.accept(-2)).as("not seen, 3 behind").isTrue();
    }
}
