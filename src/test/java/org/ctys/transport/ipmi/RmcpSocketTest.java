package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one socket and thread of all RMCP+ sessions: what a flood of packets can cost, and the loop's timers. */
class RmcpSocketTest {

    /** A session's side that counts what reaches it. */
    private static class Counting implements RmcpSocket.Receiver {
        final AtomicInteger received = new AtomicInteger();
        final List<Thread> threads = new CopyOnWriteArrayList<>();

        @Override
        public void received(SocketAddress from, byte[] packet) {
            received.incrementAndGet();
            threads.add(Thread.currentThread());
        }

        @Override
        public void closed() {}

        @Override
        public CompletableFuture<Void> end() { return CompletableFuture.completedFuture(null); }
    }

    private static byte[] addressedTo(int id, int payload) {
        byte[] p = Rmcp.sessionless(0, new byte[payload]);
        p[6] = (byte) id;
        p[7] = (byte) (id >>> 8);
        p[8] = (byte) (id >>> 16);
        p[9] = (byte) (id >>> 24);
        return p;
    }

    @Test
    void aFloodForOneSessionIsTakenAsItComesAndAnotherSessionIsStillServed() throws Exception {
        try (RmcpSocket socket = new RmcpSocket();
             DatagramSocket flood = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Counting flooded = new Counting();
            Counting other = new Counting();
            socket.call(() -> socket.register(() -> 0x12345678, flooded)).get(5, TimeUnit.SECONDS);
            socket.call(() -> socket.register(() -> 0x0A0B0C0D, other)).get(5, TimeUnit.SECONDS);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.port());
            byte[] packet = addressedTo(0x12345678, 40);
            for (int i = 0; i < 2000; i++) flood.send(new DatagramPacket(packet, packet.length, to));
            // the kernel drops what does not fit its buffer, so the other session's packet is sent
            // until it gets through: it must, while the flood is still being read
            byte[] one = addressedTo(0x0A0B0C0D, 40);
            long until = System.nanoTime() + 5_000_000_000L;
            while (other.received.get() == 0 && System.nanoTime() < until) {
                flood.send(new DatagramPacket(one, one.length, to));
                Thread.sleep(20);
            }

            assertThat(other.received.get()).as("the other session's packet, behind the flood").isPositive();
            assertThat(flooded.received.get()).as("nothing queues: what the kernel kept was handed over").isPositive();
            assertThat(flooded.threads).as("all on the loop thread").allSatisfy(t -> assertThat(t.getName()).isEqualTo("ctys-rmcp"));
        }
    }

    /**
     * Every session's bound is a timer of the loop: a flood that keeps the socket from running dry
     * (here a session that takes 2 ms a packet, as an HMAC of a forged one may) must not hold the
     * timers back until it ends.
     */
    @Test
    void aFloodThatNeverLetsTheSocketRunDryDoesNotHoldBackTheTimers() throws Exception {
        try (RmcpSocket socket = new RmcpSocket();
             DatagramSocket flood = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Counting slow = new Counting() {
                @Override
                public void received(SocketAddress from, byte[] packet) {
                    super.received(from, packet);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            socket.call(() -> socket.register(() -> 0x12345678, slow)).get(5, TimeUnit.SECONDS);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.port());
            byte[] packet = addressedTo(0x12345678, 40);
            java.util.concurrent.atomic.AtomicBoolean flooding = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread sender = new Thread(() -> {
                try {
                    while (flooding.get()) flood.send(new DatagramPacket(packet, packet.length, to));
                } catch (java.io.IOException e) {
                    // the test is over
                }
            });
            sender.start();
            try {
                while (slow.received.get() < 10) Thread.sleep(5);
                CompletableFuture<Long> fired = new CompletableFuture<>();
                long t0 = System.nanoTime();
                socket.execute(() -> socket.schedule(50_000_000L, () -> fired.complete(System.nanoTime() - t0)));
                long took = fired.get(3, TimeUnit.SECONDS);
                assertThat(TimeUnit.NANOSECONDS.toMillis(took)).as("a 50 ms timer during the flood").isLessThan(1000);
                assertThat(sender.isAlive()).as("the flood was still going").isTrue();
            } finally {
                flooding.set(false);
                sender.join(5000);
            }
        }
    }

    @Test
    void aDatagramLargerThanAnyReplyIsDropped() throws Exception {
        try (RmcpSocket socket = new RmcpSocket();
             DatagramSocket sender = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Counting session = new Counting();
            socket.call(() -> socket.register(() -> 0x01020304, session)).get(5, TimeUnit.SECONDS);
            byte[] big = addressedTo(0x01020304, Rmcp.MAX_PACKET);
            sender.send(new DatagramPacket(big, big.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.port())));
            long until = System.nanoTime() + 5_000_000_000L;
            while (socket.dropped() == 0 && System.nanoTime() < until) Thread.sleep(10);

            assertThat(socket.dropped()).isEqualTo(1);
            assertThat(session.received.get()).isZero();
        }
    }

    @Test
    void timersFireInOrderOfTheirTimeAndACancelledOneNever() throws Exception {
        try (RmcpSocket socket = new RmcpSocket()) {
            List<String> fired = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> last = new CompletableFuture<>();
            socket.execute(() -> {
                socket.schedule(60_000_000L, () -> {
                    fired.add("60 ms");
                    last.complete(null);
                });
                socket.schedule(20_000_000L, () -> fired.add("20 ms"));
                socket.schedule(40_000_000L, () -> fired.add("40 ms")).cancel();
            });
            last.get(5, TimeUnit.SECONDS);

            assertThat(fired).containsExactly("20 ms", "60 ms");
        }
    }

    @Test
    void aTaskHandedToAClosedSocketStillRunsSoItsWaiterHears() throws Exception {
        RmcpSocket socket = new RmcpSocket();
        socket.close();
        CompletableFuture<String> f = socket.call(() -> "ran");

        assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("ran");
    }
}
