package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ctys.inventory.Inventory;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Terminal server ports as consoles. Raw: socat listening on loopback as the terminal server, a
 * shell loop behind it. Telnet: no Debian telnetd is installed here, so a small peer in this test
 * plays the terminal server's side, byte for byte: it offers ECHO and SGA, asks for terminal type
 * and window size, and checks what comes back.
 */
class TcpLinkIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path dir;
    private Openers openers;
    private Process socat;

    @BeforeEach
    void start() {
        openers = new Openers(Inventory::empty, Openers.sshOptions(dir, w -> {}));
    }

    @AfterEach
    void stop() {
        if (openers != null) openers.close();
        Proc.stop(socat);
    }

    @Test
    void aRawPortCarriesBytesBothWaysAndItsCloseEndsTheConsole() throws Exception {
        int port = Proc.freePort();
        Path server = java.nio.file.Files.writeString(dir.resolve("server.sh"),
                "echo ready; while read l; do [ \"$l\" = quit ] && exit 0; echo got:$l; done\n");
        socat = Proc.startAwaiting("listening on", new StringBuffer(), List.of(Proc.require("timeout", "coreutils"), "120",
                Proc.require("socat", "socat"), "-d", "-d", "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr",
                "EXEC:" + Proc.require("sh", "dash") + " " + server));
        try (OpenLink link = openers.open("ts1-3", new Endpoint.Tcp("127.0.0.1", port, false))) {
            Reader r = new Reader(link);
            assertThat(r.until(s -> s.contains("ready\n"), WAIT)).as(r.toString()).isTrue();
            // a raw port has no break
            assertThat(link.hasBreak()).isFalse();
            assertThat(link.sendBreak()).isFalse();
            byte[] typed = "hello\n".getBytes(StandardCharsets.US_ASCII);
            link.write(typed, typed.length);
            assertThat(r.until(s -> s.contains("got:hello\n"), WAIT)).as(r.toString()).isTrue();

            long t0 = System.nanoTime();
            Reader idle = new Reader(link);
            idle.until(s -> false, Duration.ofSeconds(2));
            assertThat(idle.cpuNanos).as("CPU of 2 s of waiting on a quiet port").isLessThan((System.nanoTime() - t0) / 20);

            byte[] quit = "quit\n".getBytes(StandardCharsets.US_ASCII);
            link.write(quit, quit.length);
            assertThat(r.untilEnded(WAIT)).as(r.toString()).isTrue();
            assertThat(r.ended).hasMessage("tcp 127.0.0.1:" + port + ": the connection was closed by the far end");
        }
    }

    @Test
    void aTelnetPortIsNegotiatedStrippedAndEscaped() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout((int) WAIT.toMillis());
            int port = server.getLocalPort();
            try (OpenLink link = openers.open("pdu1", new Endpoint.Tcp("127.0.0.1", port, true));
                 Socket peer = server.accept()) {
                peer.setSoTimeout((int) WAIT.toMillis());
                InputStream fromClient = peer.getInputStream();
                // the client asks first: DO SGA, DO ECHO
                assertThat(readExactly(fromClient, 6)).containsExactly(bytes(255, 253, 3, 255, 253, 1));
                // the server agrees, offers BINARY, asks for terminal type and window size, and says hello with an escaped 0xFF
                peer.getOutputStream().write(bytes(255, 251, 1, 255, 251, 3, 255, 251, 0, 255, 253, 24, 255, 253, 31,
                        'l', 'o', 'g', 'i', 'n', 255, 255, ':', ' ', 255, 250, 24, 1, 255, 240));
                Reader r = new Reader(link);
                assertThat(r.until(s -> s.equals("login\u00ff: "), WAIT)).as(r.toString()).isTrue();
                // DO BINARY for its WILL BINARY; WONT for the terminal type and the window size; ECHO and SGA not answered twice
                assertThat(readExactly(fromClient, 9)).containsExactly(bytes(255, 253, 0, 255, 252, 24, 255, 252, 31));

                byte[] typed = bytes('r', 0xff, '\r');
                link.write(typed, typed.length);
                // not binary towards the server (it never asked DO BINARY): 0xFF doubled, CR as CR NUL
                assertThat(readExactly(fromClient, 5)).containsExactly(bytes('r', 255, 255, '\r', 0));
                assertThat(link.hasBreak()).isTrue();
                assertThat(link.sendBreak()).isTrue();
                assertThat(readExactly(fromClient, 2)).containsExactly(bytes(255, 243));
            }
        }
    }

    @Test
    void aPortNobodyListensOnIsNamed() {
        int port = Proc.freePort();
        assertThatThrownBy(() -> openers.open("ts1-3", new Endpoint.Tcp("127.0.0.1", port, false)))
                .isInstanceOf(IOException.class).hasMessageStartingWith("tcp 127.0.0.1:" + port + ": Connection refused");
        assertThatThrownBy(() -> openers.open("ts1-3", new Endpoint.Tcp("no-such-host.invalid", 7003, true)))
                .isInstanceOf(IOException.class).hasMessage("telnet no-such-host.invalid:7003: host no-such-host.invalid is unknown");
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (got.size() < n) {
            int b = in.read();
            if (b < 0) break;
            got.write(b);
        }
        return got.toByteArray();
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
        return out;
    }
}
