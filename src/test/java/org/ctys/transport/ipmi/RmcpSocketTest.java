package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/** The one socket of all RMCP+ sessions: what a flood of packets can cost. */
class RmcpSocketTest {

    @Test
    void aFloodFillsASessionsInboxToItsBoundAndNoMore() throws Exception {
        try (RmcpSocket socket = new RmcpSocket();
             DatagramSocket flood = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int id = 0x12345678;
            BlockingQueue<RmcpSocket.Datagram> inbox = socket.register(id);
            byte[] packet = Rmcp.sessionless(0, new byte[40]);
            packet[6] = 0x78;
            packet[7] = 0x56;
            packet[8] = 0x34;
            packet[9] = 0x12;
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.port());
            int sent = 2000;
            for (int i = 0; i < sent; i++) flood.send(new DatagramPacket(packet, packet.length, to));
            // the reader takes what the kernel kept; wait until it is done with it
            long until = System.nanoTime() + 5_000_000_000L;
            long last = -1;
            while (System.nanoTime() < until && socket.dropped() + inbox.size() != last) {
                last = socket.dropped() + inbox.size();
                Thread.sleep(200);
            }

            assertThat(inbox.size()).isEqualTo(RmcpSocket.INBOX);
            assertThat(socket.dropped()).isPositive();
        }
    }

    @Test
    void aDatagramLargerThanAnyReplyIsDropped() throws Exception {
        try (RmcpSocket socket = new RmcpSocket();
             DatagramSocket sender = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            BlockingQueue<RmcpSocket.Datagram> inbox = socket.register(0x01020304);
            byte[] big = Rmcp.sessionless(0, new byte[Rmcp.MAX_PACKET]);
            big[6] = 0x04;
            big[7] = 0x03;
            big[8] = 0x02;
            big[9] = 0x01;
            sender.send(new DatagramPacket(big, big.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.port())));
            long until = System.nanoTime() + 5_000_000_000L;
            while (socket.dropped() == 0 && System.nanoTime() < until) Thread.sleep(10);

            assertThat(socket.dropped()).isEqualTo(1);
            assertThat(inbox).isEmpty();
        }
    }
}
