package org.ctys.consoled;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A TCP port of a terminal server as a console, raw or speaking telnet ({@link Telnet}). The
 * connect is bounded; {@link #await} is a read with a socket timeout (asleep in the kernel's poll),
 * whose bytes are kept for the next {@link #read()}. The far end closing the connection, or an error
 * on it, makes {@link #read()} throw. A telnet port's break is telnet's BREAK; a raw port has none.
 */
final class TcpLink implements OpenLink {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Telnet telnet;
    private final String what;
    private final byte[] buffer = new byte[8192];
    private final ByteArrayOutputStream waited = new ByteArrayOutputStream();
    private IOException gone;

    private TcpLink(Socket socket, Telnet telnet, String what) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.telnet = telnet;
        this.what = what;
    }

    static TcpLink open(Endpoint.Tcp tcp, Duration connectTimeout) throws IOException {
        String what = tcp.describe();
        Socket socket = new Socket();
        try {
            InetSocketAddress address = new InetSocketAddress(tcp.host(), tcp.port());
            if (address.isUnresolved()) throw new IOException("host " + tcp.host() + " is unknown");
            socket.connect(address, (int) connectTimeout.toMillis());
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            TcpLink link = new TcpLink(socket, tcp.telnet() ? new Telnet() : null, what);
            if (link.telnet != null) link.send(link.telnet.greeting());
            return link;
        } catch (SocketTimeoutException e) {
            socket.close();
            throw new IOException(what + ": no connection within " + connectTimeout.toSeconds() + " s", e);
        } catch (IOException | IllegalArgumentException e) {
            socket.close();
            throw new IOException(what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void await(long millis) {
        if (waited.size() > 0 || gone != null) return;
        try {
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, millis)));
            take(in.read(buffer));
        } catch (SocketTimeoutException e) {
            // nothing came
        } catch (IOException e) {
            gone = new IOException(what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] read() throws IOException {
        if (waited.size() == 0 && gone == null) {
            try {
                // only what is there: never waits
                if (in.available() > 0) take(in.read(buffer, 0, Math.min(buffer.length, in.available())));
            } catch (IOException e) {
                gone = new IOException(what + ": " + e.getMessage(), e);
            }
        }
        if (waited.size() > 0) {
            byte[] data = waited.toByteArray();
            waited.reset();
            return data;
        }
        if (gone != null) throw gone;
        return new byte[0];
    }

    private void take(int n) throws IOException {
        if (n < 0) {
            gone = new IOException(what + ": the connection was closed by the far end");
            return;
        }
        if (telnet == null) {
            waited.write(buffer, 0, n);
            return;
        }
        ByteArrayOutputStream replies = new ByteArrayOutputStream();
        synchronized (telnet) {
            waited.writeBytes(telnet.receive(buffer, n, replies));
        }
        if (replies.size() > 0) send(replies.toByteArray());
    }

    @Override
    public void write(byte[] data, int length) throws IOException {
        send(telnet == null ? java.util.Arrays.copyOf(data, length) : telnetSend(data, length));
    }

    private byte[] telnetSend(byte[] data, int length) {
        synchronized (telnet) {
            return telnet.send(data, length);
        }
    }

    /** Writes from the reader (negotiation) and the writer (typed bytes) go out whole, one after the other. */
    private void send(byte[] bytes) throws IOException {
        synchronized (out) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                throw new IOException(what + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public boolean sendBreak() throws IOException {
        if (telnet == null) return false;
        send(Telnet.breakCommand());
        return true;
    }

    @Override
    public boolean hasBreak() { return telnet != null; }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closed either way
        }
    }
}
