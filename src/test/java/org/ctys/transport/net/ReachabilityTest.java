package org.ctys.transport.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReachabilityTest {

    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void aListeningPortAnswers() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = server.getLocalPort();
            boolean up = assertTimeoutPreemptively(LIMIT,
                    () -> Reachability.answers("127.0.0.1", port, Duration.ofSeconds(2)));
            assertThat(up).isTrue();
        }
    }

    @Test
    void aRefusedConnectionProvesALiveHost() throws Exception {
        int closed;
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            closed = server.getLocalPort();
        }
        boolean up = assertTimeoutPreemptively(LIMIT,
                () -> Reachability.answers("127.0.0.1", closed, Duration.ofSeconds(2)));
        assertThat(up).isTrue();
    }

    @Test
    void anUnresolvableNameIsDownWithoutThrowing() {
        boolean up = assertTimeoutPreemptively(LIMIT,
                () -> Reachability.answers("no-such-host.invalid", 22, Duration.ofSeconds(1)));
        assertThat(up).isFalse();
    }
}
