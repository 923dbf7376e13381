package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Eight bytes at a time finds the same line end as looking at each byte, wherever it is and whatever surrounds it. */
class NewlinesTest {
    @Test
    void findsTheFirstNewlineExactlyAsAByteByByteSearch() {
        Random random = new Random(1);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                int r = random.nextInt(10);
                // the bytes around '\n' whose arithmetic could fool a word-wise search: 0x09, 0x0B, 0x8A, 0x00, 0xFF
                b[i] = (byte) (r == 0 ? '\n' : r == 1 ? 0x09 : r == 2 ? 0x0B : r == 3 ? 0x8A : r == 4 ? 0 : r == 5 ? 0xFF : random.nextInt(256));
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            int expected = -1;
            for (int i = from; i < to; i++) {
                if (b[i] == '\n') {
                    expected = i;
                    break;
                }
            }
            assertThat(Newlines.next(b, from, to)).as(java.util.HexFormat.of().formatHex(b) + " [" + from + "," + to + ")").isEqualTo(expected);
        }
    }
}
