package org.ctys.transport.ssh.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** What a client sends (its login name, its command) cannot shape the daemon's log. */
class EventsTest {

    @Test
    void controlCharactersCannotForgeALogLine() {
        assertThat(Events.printable("alice\naccepted key SHA256:x for root")).isEqualTo("alice?accepted key SHA256:x for root");
        assertThat(Events.printable("a\rb\u001b[2Jc\u202ed")).isEqualTo("a?b?[2Jc?d");
        assertThat(Events.printable("lab07 --since \"2 h\"")).isEqualTo("lab07 --since \"2 h\"");
        assertThat(Events.printable(null)).isEqualTo("?");
    }

    @Test
    void aLongWordIsCut() {
        assertThat(Events.printable("x".repeat(500))).isEqualTo("x".repeat(80) + "...");
    }

    @Test
    void addressesAreWrittenAsSshWritesThem() throws Exception {
        assertThat(Events.address(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5555))).isEqualTo("127.0.0.1:5555");
        assertThat(Events.address(new InetSocketAddress(InetAddress.getByName("::1"), 5555))).isEqualTo("[0:0:0:0:0:0:0:1]:5555");
    }
}
