package org.ctys.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP peer on 127.0.0.1 that accepts connections and never says a word: an SSH server (or a
 * console server) that hangs.
 */
public final class SilentPeer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    public SilentPeer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) held.add(socket.accept());
            } catch (IOException e) {
                // closed: the test is over
            }
        }, "silent-peer");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() { return socket.getLocalPort(); }

    /** How many connections it has taken so far. */
    public int accepted() { return held.size(); }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : held) s.close();
    }
}
