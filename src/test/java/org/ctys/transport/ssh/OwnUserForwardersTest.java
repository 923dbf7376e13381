package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/** The owner of a loopback connection's far end, found in /proc/net/tcp or tcp6 as the kernel lists it. */
class OwnUserForwardersTest {
    @Test
    void theOwnerOfAConnectionFromThisProcessIsThisUserOverADualStackSocket() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             Socket client = new Socket("127.0.0.1", listener.getLocalPort());
             Socket accepted = listener.accept()) {
            assertThat(OwnUserForwarders.owner((InetSocketAddress) accepted.getRemoteSocketAddress(),
                    (InetSocketAddress) accepted.getLocalSocketAddress())).hasValue(org.ctys.os.UnixFiles.currentUid());
            // the other way round is the listener's end, not a client's: no such line
            assertThat(OwnUserForwarders.owner((InetSocketAddress) accepted.getLocalSocketAddress(),
                    new InetSocketAddress("127.0.0.1", 1))).isEmpty();
        }
    }

    @Test
    void andOverAnIpv4OnlySocket() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET)
                .bind(new InetSocketAddress("127.0.0.1", 0));
             SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET);
             SocketChannel accepted = connect(client, listener)) {
            assertThat(OwnUserForwarders.owner((InetSocketAddress) accepted.getRemoteAddress(),
                    (InetSocketAddress) accepted.getLocalAddress())).hasValue(org.ctys.os.UnixFiles.currentUid());
        }
    }

    private static SocketChannel connect(SocketChannel client, ServerSocketChannel listener) throws Exception {
        client.connect(listener.getLocalAddress());
        return listener.accept();
    }

    @Test
    void addressesAreWrittenAsTheKernelWritesThem() {
        assertThat(OwnUserForwarders.hex(new InetSocketAddress("127.0.0.1", 0x1F90))).isEqualTo("0100007F:1F90");
        assertThat(OwnUserForwarders.hex6(new InetSocketAddress("127.0.0.1", 22))).isEqualTo("0000000000000000FFFF00000100007F:0016");
    }
}
