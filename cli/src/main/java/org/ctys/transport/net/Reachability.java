package org.ctys.transport.net;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Asks whether a machine answers: an ICMP echo where the process may send one (root or
 * ping_group_range; otherwise Java falls back to TCP port 7), and at the same time a TCP
 * connect to a service port (SSH). An accepted or a refused connection both prove a live host;
 * silence until the timeout, or an unreachable network, does not.
 */
public final class Reachability {

    private Reachability() {}

    public static boolean answers(String host, int tcpPort, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        InetAddress address;
        try {
            // within the question's bound: a name server that never answers is silence, not a held thread
            address = Lookups.of(host).get(Math.max(1, remainingMillis(deadline)), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(); Selector selector = Selector.open()) {
            ch.configureBlocking(false);
            boolean tcpPending;
            try {
                if (ch.connect(new InetSocketAddress(address, tcpPort))) return true;
                ch.register(selector, SelectionKey.OP_CONNECT);
                tcpPending = true;
            } catch (IOException e) {
                if (isRefused(e)) return true;
                tcpPending = false;
            }
            if (icmp(address, remainingMillis(deadline))) return true;
            if (!tcpPending) return false;
            long left = remainingMillis(deadline);
            if (left <= 0 || selector.select(left) == 0) return selector.selectNow() > 0 && finished(ch);
            return finished(ch);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean icmp(InetAddress address, long millis) {
        if (millis <= 0) return false;
        try {
            return address.isReachable((int) Math.min(Integer.MAX_VALUE, millis));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean finished(SocketChannel ch) {
        try {
            return ch.finishConnect();
        } catch (IOException e) {
            return isRefused(e);
        }
    }

    private static boolean isRefused(IOException e) {
        String m = e.getMessage();
        return e instanceof ConnectException && m != null && m.toLowerCase().contains("refused");
    }

    private static long remainingMillis(long deadline) {
        return (deadline - System.nanoTime()) / 1_000_000L;
    }
}
