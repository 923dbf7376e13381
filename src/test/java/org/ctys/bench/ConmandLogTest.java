package org.ctys.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading the console's bytes back out of a timestamped conmand log (the form conman 0.2.7 writes). */
class ConmandLogTest {

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    @Test
    void stampsAndConmandsOwnMessagesAreTakenOut() {
        String log = "\r\n<ConMan> Console [c1] log opened at 2026-11-30 08:08:01 UTC.\r\n"
                + "\r\n<ConMan> Console [c1] connected to \"/dev/pts/0\" at 11-30 08:08.\r\n"
                + "2026-11-30 08:08:02 hello\r\n"
                + "2026-11-30 08:08:02 world\r\n"
                + "2026-11-30 08:08:04 half a li";

        assertThat(new String(Conmand.consoleBytes(bytes(log)), StandardCharsets.ISO_8859_1))
                .isEqualTo("hello\r\nworld\r\nhalf a li");
    }

    @Test
    void aLineWithoutItsStampIsRefusedRatherThanCounted() {
        assertThatThrownBy(() -> Conmand.consoleBytes(bytes("2026-11-30 08:08:02 hello\r\nworld\r\n")))
                .hasMessageContaining("without its timestamp").hasMessageContaining("'world'");
    }
}
