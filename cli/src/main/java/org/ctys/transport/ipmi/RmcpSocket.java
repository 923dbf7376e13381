package org.ctys.transport.ipmi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * One UDP socket for every RMCP+ session of a command, and one thread, the loop, that does all of
 * their work: it reads each datagram and hands it at once to the session it belongs to (by the
 * console's session ID, which the BMC puts in the header of session packets and in the payload of
 * the session-start replies), runs the tasks other threads hand it, and fires the sessions'
 * timers (a request's wait for its answer). Every session's state, and every HMAC and AES
 * operation of the sessions, is confined to this thread: a session costs no thread of its own,
 * and 64 BMCs cost one thread, not 64 waiting ones.
 *
 * <p>What a BMC (or anyone) sends cannot grow memory: nothing is queued; a datagram over
 * {@link Rmcp#MAX_PACKET} bytes or for no session is dropped here, and each session examines each
 * of its datagrams as it comes.
 */
final class RmcpSocket implements AutoCloseable {

    /** A session's side of the socket: called on the loop thread for each datagram with its ID. */
    interface Receiver {
        void received(SocketAddress from, byte[] packet);

        /** The socket was closed: nothing will be received or fire any more. */
        void closed();

        /** Ends the session (bounded); the future never fails. */
        CompletableFuture<Void> end();
    }

    /** A timer of the loop; cancelled timers never fire. */
    static final class Timer implements Comparable<Timer> {
        private final long due;
        private final long order;
        private final Runnable action;
        private boolean cancelled;

        private Timer(long due, long order, Runnable action) {
            this.due = due;
            this.order = order;
            this.action = action;
        }

        /** On the loop thread. */
        void cancel() { cancelled = true; }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(due - o.due, 0);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    private final DatagramChannel channel;
    private final Selector selector;
    private final Thread loop;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Object gate = new Object();
    private boolean stopped;
    // loop-confined
    private final Map<Integer, Receiver> receivers = new HashMap<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timerOrder;
    private final LongAdder dropped = new LongAdder();
    private volatile boolean closed;

    RmcpSocket() throws IOException {
        channel = DatagramChannel.open();
        try {
            channel.bind(new InetSocketAddress(0));
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        loop = new Thread(this::run, "ctys-rmcp");
        loop.setDaemon(true);
        loop.start();
    }

    /** True on the loop thread. */
    boolean inLoop() { return Thread.currentThread() == loop; }

    /**
     * Runs {@code task} on the loop thread, after the tasks handed to it before. Once the loop has
     * stopped it runs on the caller's thread, one task at a time: what it sends fails at once on
     * the closed socket, so that whoever waits for it hears so.
     */
    void execute(Runnable task) {
        synchronized (gate) {
            if (stopped) {
                runSafely(task);
                return;
            }
            tasks.add(task);
        }
        if (!inLoop()) selector.wakeup();
    }

    /** The value of {@code body}, computed on the loop thread. */
    <T> CompletableFuture<T> call(Callable<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        execute(() -> {
            try {
                f.complete(body.call());
            } catch (Exception | Error e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** On the loop thread: runs {@code action} there after {@code nanos}, unless cancelled first. */
    Timer schedule(long nanos, Runnable action) {
        Timer t = new Timer(System.nanoTime() + nanos, timerOrder++, action);
        timers.add(t);
        return t;
    }

    /**
     * On the loop thread: registers a console session ID not in use, chosen by {@code ids} (tried
     * again when it gives one in use or 0), for {@code receiver}.
     */
    int register(java.util.function.IntSupplier ids, Receiver receiver) {
        while (true) {
            int id = ids.getAsInt();
            if (id != 0 && receivers.putIfAbsent(id, receiver) == null) return id;
        }
    }

    /** On the loop thread. */
    void unregister(int consoleSessionId) { receivers.remove(consoleSessionId); }

    /**
     * Sends without waiting. A datagram the kernel has no room for now is lost, as the network
     * could have lost it: the request is tried again when its wait ends.
     */
    void send(byte[] packet, InetSocketAddress to) throws IOException {
        channel.send(ByteBuffer.wrap(packet), to);
    }

    /** Ends every session still open (each bounded, all at once); the future never fails. */
    CompletableFuture<Void> endSessions() {
        return call(() -> {
            CompletableFuture<?>[] ends = new CompletableFuture<?>[receivers.size()];
            int i = 0;
            for (Receiver r : java.util.List.copyOf(receivers.values())) ends[i++] = r.end();
            return CompletableFuture.allOf(ends);
        }).thenCompose(all -> all).exceptionally(e -> null);
    }

    /** The local UDP port every session sends from. */
    int port() throws IOException { return ((InetSocketAddress) channel.getLocalAddress()).getPort(); }

    /** Datagrams read before the loop's tasks and due timers run again. */
    static final int RECEIVE_BATCH = 64;

    /** Packets dropped here: too large, or for no session. */
    long dropped() { return dropped.sum(); }

    private void run() {
        // one byte more than the largest packet taken: a datagram that fills it is too large
        ByteBuffer buf = ByteBuffer.allocate(Rmcp.MAX_PACKET + 1);
        try {
            while (!closed) {
                long wait = tasks.isEmpty() ? waitMillis() : -1;
                if (wait < 0) selector.selectNow();
                else selector.select(wait);
                selector.selectedKeys().clear();
                receive(buf);
                for (Runnable t; (t = tasks.poll()) != null; ) runSafely(t);
                fireDue();
            }
        } catch (ClosedChannelException | ClosedSelectorException e) {
            // closed
        } catch (IOException e) {
            // the selector failed: the sessions hear that the socket is closed
        } finally {
            closed = true;
            try {
                channel.close();
            } catch (IOException e) {
                // closing a UDP socket does not fail in a way that matters here
            }
            synchronized (gate) {
                stopped = true;
                for (Runnable t; (t = tasks.poll()) != null; ) runSafely(t);
                for (Receiver r : java.util.List.copyOf(receivers.values())) {
                    try {
                        r.closed();
                    } catch (RuntimeException e) {
                        // each session ends on its own
                    }
                }
                receivers.clear();
            }
        }
    }

    /** Milliseconds to the next timer, 0 for none (select waits until woken). */
    private long waitMillis() {
        Timer t;
        while ((t = timers.peek()) != null && t.cancelled) timers.poll();
        if (t == null) return 0;
        long nanos = t.due - System.nanoTime();
        return nanos <= 0 ? -1 : Math.max(1, (nanos + 999_999) / 1_000_000);
    }

    /**
     * Takes at most {@link #RECEIVE_BATCH} datagrams, then returns, so that the loop's tasks and
     * timers run between batches: under a flood (junk, or a BMC's packets that each cost an HMAC)
     * the socket never runs dry, and every session's bound is one of those timers.
     */
    private void receive(ByteBuffer buf) throws IOException {
        for (int taken = 0; taken < RECEIVE_BATCH; taken++) {
            buf.clear();
            SocketAddress from;
            try {
                from = channel.receive(buf);
            } catch (ClosedChannelException e) {
                throw e;
            } catch (IOException e) {
                // an ICMP error for one BMC ends nothing: each session waits with its own bound
                continue;
            }
            if (from == null) return;
            if (buf.position() > Rmcp.MAX_PACKET) {
                dropped.increment();
                continue;
            }
            byte[] p = Arrays.copyOf(buf.array(), buf.position());
            Integer id = consoleSessionId(p);
            Receiver r = id == null ? null : receivers.get(id);
            if (r == null) {
                dropped.increment();
                continue;
            }
            try {
                r.received(from, p);
            } catch (RuntimeException e) {
                // a session that cannot take a packet drops it; the loop goes on for the others
                dropped.increment();
            }
        }
    }

    private void fireDue() {
        long now = System.nanoTime();
        for (Timer t; (t = timers.peek()) != null && (t.cancelled || t.due - now <= 0); ) {
            timers.poll();
            if (!t.cancelled) runSafely(t.action);
        }
    }

    private static void runSafely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // a session's failure is its own; the loop serves the others
        }
    }

    /** The console session ID a packet is for, or null when it is not RMCP+. */
    static Integer consoleSessionId(byte[] p) {
        if (p.length < 16 || p[0] != 0x06 || p[3] != 0x07 || p[4] != 0x06) return null;
        int sessionId = Rmcp.le32(p, 6);
        if (sessionId != 0) return sessionId;
        int type = p[5] & 0x3F;
        // open session response, RAKP 2 and RAKP 4 carry it at offset 4 of their payload
        if ((type == Rmcp.OPEN_SESSION_RESPONSE || type == Rmcp.RAKP2 || type == Rmcp.RAKP4) && p.length >= 16 + 8) {
            return Rmcp.le32(p, 16 + 4);
        }
        return null;
    }

    /** Stops the loop and closes the socket; sessions still waiting hear that it is closed. */
    @Override
    public void close() {
        closed = true;
        try {
            selector.close();
        } catch (IOException e) {
            // nothing to do about it
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing a UDP socket does not fail in a way that matters here
        }
    }
}
