package org.ctys.transport.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A ProxyCommand as OpenSSH runs it ({@code /bin/sh -c "exec COMMAND"}, SSH spoken over its stdin
 * and stdout, its stderr the user's), made reachable to MINA, which only dials TCP: a listener on
 * an ephemeral port of 127.0.0.1 takes one connection and copies it to and from the command. The
 * client socket is bound to a port chosen here, and a connection from any other port is closed
 * unanswered, so another local process cannot take the command's stream.
 */
final class ProxyRelay implements AutoCloseable {

    private final Hop.ProxyCommand command;
    private final Process process;
    private final ServerSocket listener;
    private final int clientPort;
    private final Thread acceptor;
    private volatile Socket socket;

    private ProxyRelay(Hop.ProxyCommand command, Process process, ServerSocket listener, int clientPort, Duration limit) {
        this.command = command;
        this.process = process;
        this.listener = listener;
        this.clientPort = clientPort;
        this.acceptor = new Thread(() -> accept(limit), "ctys-proxycommand");
        this.acceptor.setDaemon(true);
    }

    /** Starts the command and the listener; {@code limit} bounds the wait for the client to connect. */
    static ProxyRelay start(Hop.ProxyCommand command, Duration limit) throws SshFailure {
        ServerSocket listener = null;
        Process process = null;
        try {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            listener = new ServerSocket(0, 1, loopback);
            int clientPort;
            try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
                clientPort = probe.getLocalPort();
            }
            process = new ProcessBuilder(List.of("/bin/sh", "-c", "exec " + command.command()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            ProxyRelay relay = new ProxyRelay(command, process, listener, clientPort, limit);
            relay.acceptor.start();
            return relay;
        } catch (IOException e) {
            if (listener != null) {
                try {
                    listener.close();
                } catch (IOException ignored) {
                    // nothing was connected to it
                }
            }
            if (process != null) {
                stop(process);
            }
            throw new SshFailure(SshFailure.Kind.CONNECT, "cannot start the ProxyCommand of " + command.origin() + ": "
                    + Durations.reason(e), e);
        }
    }

    /** The connecting socket belongs to this user (/proc/net/tcp), as the forwards' clients must. */
    private static boolean ours(Socket s) {
        try {
            return OwnUserForwarders.fromThisUser((InetSocketAddress) s.getRemoteSocketAddress(),
                    (InetSocketAddress) s.getLocalSocketAddress());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Where the client connects. */
    InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    /** The local address the client must connect from. */
    InetSocketAddress clientAddress() {
        return new InetSocketAddress(listener.getInetAddress(), clientPort);
    }

    /** What to add to a failure's message: how the command ended, when it has; never the command itself. */
    String ending() {
        try {
            // a command that failed at once is usually why the connection closed: give it a moment to be seen
            if (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
                return "";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
        // its text stays out: it may carry what the user keeps out of messages (sshpass -p, a token); where it is set is said already
        return " (the ProxyCommand exited with status " + process.exitValue() + ")";
    }

    private void accept(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (true) {
                // one bound for the whole wait: connections of others do not extend it
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) throw new SocketTimeoutException();
                listener.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                Socket s = listener.accept();
                if (s.getPort() != clientPort || !ours(s)) {
                    s.close(); // not the client we bound (another local user may have taken its port): not ours to carry
                    continue;
                }
                socket = s;
                listener.close();
                Thread up = pump(s.getInputStream(), process.getOutputStream(), "ctys-proxycommand-in");
                pump(process.getInputStream(), s.getOutputStream(), "ctys-proxycommand-out");
                up.join();
                return;
            }
        } catch (SocketTimeoutException e) {
            close();
        } catch (IOException e) {
            // closed while waiting: the login gave up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies until end of input, then closes the output so the other side sees the end too. */
    private static Thread pump(InputStream in, OutputStream out, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[32 * 1024];
            try (in; out) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away; closing both ends tells the other
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }
        stop(process);
    }

    /** Ends the command as ssh does when the session ends, and waits for it: nothing is left running. */
    private static void stop(Process p) {
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // the command already closed its input
        }
        try {
            if (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
                p.destroy();
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(2, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
