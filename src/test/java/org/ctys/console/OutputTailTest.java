package org.ctys.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The end of a far end's output, kept in a few bytes however it arrives. */
class OutputTailTest {

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void smallPiecesAddUpAndTheOldestBytesGoFirst() {
        OutputTail tail = new OutputTail(16);
        tail.keep(b("first line\r\n"));
        tail.keep(new byte[0]);
        tail.keep(b("error: "));
        tail.keep(b("gone\r\n"));

        assertThat(tail.lines()).as("16 bytes: \"e\\r\\nerror: gone\\r\\n\"").containsExactly("e", "error: gone");
    }

    @Test
    void aPieceLargerThanTheTailLeavesItsEnd() {
        OutputTail tail = new OutputTail(8);
        tail.keep(b("kept before"));
        tail.keep(b("0123456789\nabcdef"));

        assertThat(tail.lines()).as("8 bytes: \"9\\nabcdef\"").containsExactly("9", "abcdef");
    }

    @Test
    void emptyAndBlankLinesAreLeftOut() {
        OutputTail tail = new OutputTail(64);
        assertThat(tail.lines()).isEmpty();
        tail.keep(b("\r\n  \r\n  ctys-consoled: no console 'x'  \r\n\r\n"));

        assertThat(tail.lines()).containsExactly("ctys-consoled: no console 'x'");
    }
}
