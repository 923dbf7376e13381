package org.ctys.transport.wol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WakeOnLanTest {

    private static final byte[] MAC = {0x00, 0x1a, 0x2b, 0x3c, 0x4d, (byte) 0xef};

    private static byte[] expected(byte[] mac, byte[] secureOn) {
        int extra = secureOn == null ? 0 : secureOn.length;
        byte[] p = new byte[102 + extra];
        Arrays.fill(p, 0, 6, (byte) 0xFF);
        for (int i = 0; i < 16; i++) System.arraycopy(mac, 0, p, 6 + 6 * i, 6);
        if (secureOn != null) System.arraycopy(secureOn, 0, p, 102, extra);
        return p;
    }

    private static DatagramSocket listener() throws IOException {
        DatagramSocket s = new DatagramSocket(null);
        s.setReceiveBufferSize(4 * 1024 * 1024);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout(5000);
        return s;
    }

    private static byte[] receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[512], 512);
        s.receive(p);
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    @Test
    void payloadIsSixFfThenTheMacSixteenTimes() {
        byte[] p = WakeOnLan.payload(MAC, null);
        assertThat(p).hasSize(102);
        assertThat(Arrays.copyOf(p, 6)).containsOnly((byte) 0xFF);
        for (int i = 0; i < 16; i++) {
            assertThat(Arrays.copyOfRange(p, 6 + 6 * i, 12 + 6 * i)).as("MAC copy %d", i).isEqualTo(MAC);
        }
    }

    @Test
    void secureOnPasswordOfFourOrSixBytesIsAppended() {
        byte[] four = {1, 2, 3, 4};
        byte[] six = {1, 2, 3, 4, 5, 6};
        assertThat(WakeOnLan.payload(MAC, four)).hasSize(106).isEqualTo(expected(MAC, four));
        assertThat(WakeOnLan.payload(MAC, six)).hasSize(108).isEqualTo(expected(MAC, six));
    }

    @Test
    void rejectsAMacThatIsNotSixBytes() {
        assertThatThrownBy(() -> WakeOnLan.payload(new byte[5], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6 bytes");
        assertThatThrownBy(() -> WakeOnLan.payload(new byte[7], null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WakeOnLan.payload(new byte[0], null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsASecureOnPasswordOfOtherLengths() {
        for (int n : new int[] {0, 1, 3, 5, 7, 8}) {
            assertThatThrownBy(() -> WakeOnLan.payload(MAC, new byte[n]))
                    .as("password of %d bytes", n)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 or 6 bytes");
        }
    }

    @Test
    void sendRejectsBadLengthsToo() {
        try (WakeOnLan wol = new WakeOnLan()) {
            assertThatThrownBy(() -> wol.send(new byte[4], null, InetAddress.getLoopbackAddress(), 9, null))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> wol.send(MAC, new byte[5], InetAddress.getLoopbackAddress(), 9, null))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void sendsTheExactPayloadToTheListener() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            byte[] six = {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0, 1};
            try (DatagramSocket s = listener(); WakeOnLan wol = new WakeOnLan()) {
                wol.send(MAC, null, InetAddress.getLoopbackAddress(), s.getLocalPort(), null);
                assertThat(receive(s)).isEqualTo(expected(MAC, null));
                wol.send(MAC, six, InetAddress.getLoopbackAddress(), s.getLocalPort(), null);
                assertThat(receive(s)).isEqualTo(expected(MAC, six));
                java.lang.reflect.Field kept = WakeOnLan.class.getDeclaredField("payload");
                kept.setAccessible(true);
                assertThat(Arrays.copyOfRange((byte[]) kept.get(wol), 102, 108)).as("the password after the send").containsOnly(0);
                // a shorter packet after a longer one: nothing of the earlier password is left over
                wol.send(MAC, null, InetAddress.getLoopbackAddress(), s.getLocalPort(), null);
                assertThat(receive(s)).isEqualTo(expected(MAC, null));
            }
        });
    }

    @Test
    void sendsFromAGivenSourceAddress() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (DatagramSocket s = listener(); WakeOnLan wol = new WakeOnLan()) {
                InetAddress lo = InetAddress.getLoopbackAddress();
                wol.send(MAC, null, lo, s.getLocalPort(), lo);
                DatagramPacket p = new DatagramPacket(new byte[512], 512);
                s.receive(p);
                assertThat(p.getAddress()).isEqualTo(lo);
                assertThat(Arrays.copyOf(p.getData(), p.getLength())).isEqualTo(expected(MAC, null));
            }
        });
    }

    @Test
    void aThousandPacketsThroughOneInstanceAllArrive() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            int n = 1000;
            boolean[] seen = new boolean[n];
            int received = 0;
            try (DatagramSocket s = listener(); WakeOnLan wol = new WakeOnLan()) {
                s.setSoTimeout(2000);
                for (int i = 0; i < n; i++) {
                    byte[] mac = {2, 0, 0, 0, (byte) (i >> 8), (byte) i};
                    wol.send(mac, null, InetAddress.getLoopbackAddress(), s.getLocalPort(), null);
                }
                try {
                    while (received < n) {
                        byte[] p = receive(s);
                        assertThat(p).hasSize(102);
                        int i = ((p[10] & 0xFF) << 8) | (p[11] & 0xFF);
                        assertThat(p).isEqualTo(expected(new byte[] {2, 0, 0, 0, (byte) (i >> 8), (byte) i}, null));
                        if (!seen[i]) received++;
                        seen[i] = true;
                    }
                } catch (SocketTimeoutException e) {
                    // fall through: count what arrived
                }
            }
            // loopback UDP with a large receive buffer does not drop; allow 1% in case a busy machine does
            assertThat(received).isGreaterThanOrEqualTo(990);
        });
    }
}
