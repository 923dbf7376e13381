package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serial-over-LAN through a relay on the path between ctys and a real BMC (ipmi_sim, suite 3:
 * HMAC-SHA1-96 and AES-CBC-128) that tampers with the BMC's first SOL packet carrying text. The
 * relay flips one bit of the packet's AES IV, which turns the first character of the machine's
 * text from {@code h} into {@code H} without the key: the IPMI library alone takes such a packet
 * with a wrong integrity code (it logs a warning) or with its integrity code cut off. ctys must
 * drop it; the BMC then sends the characters again (SOL's own retry) and the console shows what
 * the machine wrote. A replayed packet is dropped too.
 */
class SolIntegrityIT {
    private static final String TEXT = "hello from the host, 32 bytes.\r\n";
    /** Where the relay listens, on the BMC's port number (ipmi_sim listens on 127.0.0.1 only). */
    private static final String RELAY = "127.0.0.2";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir Path dir;
    private IpmiSim sim;

    @BeforeEach
    void start() throws IOException {
        sim = IpmiSim.start(Files.createDirectories(dir.resolve("bmc")), IpmiSim.Options.defaults().withSol().poweredOn(true));
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        if (sim != null) sim.close();
    }

    @Test
    void aPacketWithAWrongIntegrityCodeNeverReachesTheConsole() throws Exception {
        assertGenuineTextOnly(p -> List.of(flipFirstCharacter(p)));
    }

    @Test
    void aSessionPacketWithoutItsIntegrityCodeNeverReachesTheConsole() throws Exception {
        assertGenuineTextOnly(p -> {
            byte[] forged = flipFirstCharacter(p);
            int end = 16 + ((forged[14] & 0xFF) | (forged[15] & 0xFF) << 8);
            forged = Arrays.copyOf(forged, end); // the integrity trailer cut off
            forged[5] &= ~0x40; // "not authenticated"
            return List.of(forged);
        });
    }

    @Test
    void aReplayedPacketIsDroppedAndTheTextComesOnce() throws Exception {
        assertGenuineTextOnly(p -> List.of(p, p.clone()));
    }

    private void assertGenuineTextOnly(Function<byte[], List<byte[]>> tamper) throws Exception {
        try (Relay relay = new Relay(sim.port(), tamper);
             IpmiClient client = new IpmiClient(new IpmiClient.Timing(Duration.ofSeconds(2), 3))) {
            BmcAddress bmc = new BmcAddress(RELAY, relay.port(), sim.user(), 3, false);
            try (SolConsole console = client.sol(bmc, sim.password().getBytes(StandardCharsets.UTF_8), null, false)) {
                sim.hostWrite(TEXT);
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                long until = System.nanoTime() + WAIT.toNanos();
                while (!seen.toString(StandardCharsets.ISO_8859_1).contains(TEXT) && System.nanoTime() < until) {
                    console.await(200);
                    seen.writeBytes(console.read());
                }
                // anything a second copy would add arrives within the next round trips
                for (int i = 0; i < 5; i++) {
                    console.await(100);
                    seen.writeBytes(console.read());
                }
                String text = seen.toString(StandardCharsets.ISO_8859_1);
                assertThat(relay.tampered()).as("the relay changed a packet").isTrue();
                assertThat(text).as("what the console showed").isEqualTo(TEXT);
                assertThat(client.guard().dropped()).as("packets ctys dropped").isPositive();
            }
        }
    }

    /**
     * A copy of an encrypted SOL packet whose first character decrypts with bit 5 flipped: in CBC
     * the first block's plaintext is the cipher's output XOR the IV, and the SOL payload's
     * characters start at its fifth byte (after sequence, ack, count and status).
     */
    private static byte[] flipFirstCharacter(byte[] p) {
        byte[] c = p.clone();
        c[16 + 4] ^= 0x20;
        return c;
    }

    /** True for an encrypted SOL packet from the BMC that carries at least 12 characters. */
    private static boolean solWithText(byte[] p, int length) {
        if (length < 16 || p[4] != 6 || (p[5] & 0x3F) != 1 || (p[5] & 0x80) == 0) return false;
        int payload = (p[14] & 0xFF) | (p[15] & 0xFF) << 8;
        return payload >= 48; // the IV and two AES blocks: 4 bytes of header and 12 or more characters
    }

    /**
     * A UDP relay on loopback: what ctys sends goes to the BMC unchanged; the BMC's first SOL
     * packet with text goes back through {@code tamper}, everything else unchanged.
     */
    private static final class Relay implements AutoCloseable {
        private final DatagramSocket front;
        private final DatagramSocket back = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        private final InetSocketAddress bmc;
        private final Function<byte[], List<byte[]>> tamper;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile SocketAddress client;
        private final Thread up;
        private final Thread down;

        Relay(int bmcPort, Function<byte[], List<byte[]>> tamper) throws IOException {
            this.bmc = new InetSocketAddress(InetAddress.getLoopbackAddress(), bmcPort);
            // the BMC's own port on another loopback address: the BMC names its port for SOL in its
            // answer to the activation, and the library sends SOL there
            front = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(RELAY), bmcPort));
            this.tamper = tamper;
            up = new Thread(this::up, "relay-up");
            down = new Thread(this::down, "relay-down");
            up.start();
            down.start();
        }

        int port() { return front.getLocalPort(); }

        boolean tampered() { return done.get(); }

        private void up() {
            byte[] b = new byte[2048];
            try {
                while (true) {
                    DatagramPacket p = new DatagramPacket(b, b.length);
                    front.receive(p);
                    client = p.getSocketAddress();
                    back.send(new DatagramPacket(b, p.getLength(), bmc));
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void down() {
            byte[] b = new byte[2048];
            try {
                while (true) {
                    DatagramPacket p = new DatagramPacket(b, b.length);
                    back.receive(p);
                    SocketAddress to = client;
                    if (to == null) continue;
                    byte[] packet = Arrays.copyOf(b, p.getLength());
                    List<byte[]> out = solWithText(packet, packet.length) && done.compareAndSet(false, true)
                            ? tamper.apply(packet) : List.of(packet);
                    for (byte[] o : out) front.send(new DatagramPacket(o, o.length, to));
                }
            } catch (IOException e) {
                // closed
            }
        }

        @Override
        public void close() throws InterruptedException {
            front.close();
            back.close();
            up.join(5000);
            down.join(5000);
        }
    }
}
