package org.ctys.transport.ssh.server;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What goes to one stream of a session, given without ever waiting for the client. A chunk given
 * while nothing is on its way is written at once, from the giver's thread (a console's reader puts
 * its bytes on the wire itself, with no hand-over to another thread); chunks given meanwhile wait,
 * and go together when the write before them is done, from the thread that learns it (MINA's).
 * A client that reads slowly makes the queue grow, never the giver wait: givers bound what they
 * leave waiting through the {@link Backlog} they pass. A client that takes nothing for the stall
 * limit while bytes wait for it is dropped, found by the next give or wait. {@link #blocking} is
 * the same queue as an {@link OutputStream} for code that may wait (replies, listings): its writes
 * wait while much is unsent.
 */
public final class OutputQueue {
    /**
     * One write of the sink at most: waiting chunks go together up to it, a larger one in slices of
     * it. Each completed write is progress, so a slow client that takes a large replay is not taken
     * for one that takes nothing (MINA completes a write once its last packet is out).
     */
    static final int BATCH_BYTES = 32 * 1024;
    /** A blocking write returns while at most this much is unsent: its writer stays at most this far ahead of the client. */
    static final int BLOCKING_UNSENT = 64 * 1024;

    /** Where the bytes go: starts writing and never waits; {@code done} gets null once written, else why not (it may run before write returns). */
    public interface Sink {
        void write(byte[] data, Consumer<Throwable> done);
    }

    /** The bytes one giver has queued that are not written yet; counted in its whole's too, when it has one. */
    public static final class Backlog {
        private final AtomicLong bytes = new AtomicLong();
        private final Backlog whole;

        public Backlog() { this(null); }

        /** @param whole what counts this backlog's bytes along with others' (the daemon's for every user), or null */
        public Backlog(Backlog whole) { this.whole = whole; }

        public long bytes() { return bytes.get(); }

        void add(long n) {
            bytes.addAndGet(n);
            if (whole != null) whole.add(n);
        }
    }

    /** A given array; {@code from}: what of it has been taken into batches. */
    private static final class Chunk {
        final byte[] data;
        final Backlog backlog;
        int from;

        Chunk(byte[] data, Backlog backlog) {
            this.data = data;
            this.backlog = backlog;
        }

        int left() { return data.length - from; }
    }

    /** Bytes {@code [from, from + length)} of one chunk, in a batch. */
    private record Slice(Chunk chunk, int from, int length) {}

    /** The client was dropped for the stall limit. */
    private static final class Stalled extends IOException {
        Stalled(String message) {
            super(message);
        }
    }

    private final Sink sink;
    private final Duration stall;
    private final long stallNanos;
    private final Consumer<Throwable> failed;
    private final Consumer<Duration> stalled;
    private final Object lock = new Object();
    private final ArrayDeque<Chunk> waiting = new ArrayDeque<>();
    /** Waiting and on its way. Under the lock. */
    private long unsent;
    /** A batch is on its way, or a thread is about to start one. Under the lock. */
    private boolean writing;
    /** When a write last completed, or bytes began to wait after none did (System.nanoTime). Under the lock. */
    private long moved = System.nanoTime();
    /** Why nothing goes out any more: a write failed, or the client stalled. Under the lock. */
    private Throwable failure;

    /**
     * @param stall   how long bytes may wait without a write completing before the client is dropped
     * @param failed  told once, on the thread that learnt it, when a write failed (the session is broken)
     * @param stalled told once when the client is dropped for the stall limit (the caller ends the session)
     */
    public OutputQueue(Sink sink, Duration stall, Consumer<Throwable> failed, Consumer<Duration> stalled) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.stall = Objects.requireNonNull(stall, "stall");
        this.stallNanos = stall.toNanos();
        this.failed = Objects.requireNonNull(failed, "failed");
        this.stalled = Objects.requireNonNull(stalled, "stalled");
    }

    /**
     * Queues {@code data} (not copied: the caller leaves it alone) and returns at once; it goes out
     * after everything given before. {@code backlog} (may be null) counts it until it is written.
     * False when a write has failed or the client stalled: nothing given goes out any more.
     */
    public boolean send(byte[] data, Backlog backlog) {
        boolean stuck;
        synchronized (lock) {
            if (failure != null) return false;
            stuck = unsent > 0 && System.nanoTime() - moved >= stallNanos;
            if (!stuck) {
                if (data.length == 0) return true;
                if (unsent == 0) moved = System.nanoTime();
                waiting.add(new Chunk(data, backlog));
                unsent += data.length;
                if (backlog != null) backlog.add(data.length);
                if (writing) return true;
                writing = true;
            }
        }
        if (stuck) {
            dropStalled();
            return false;
        }
        drain();
        return true;
    }

    /** The client took nothing for the stall limit: nothing goes out any more; {@code stalled} is told once. */
    private void dropStalled() {
        synchronized (lock) {
            if (failure != null) return;
            failure = new Stalled("the client read nothing for " + stall.toSeconds() + " s; its session was dropped");
            dropWaiting();
            lock.notifyAll();
        }
        stalled.accept(stall);
    }

    /** Bytes given and not written yet. */
    public long unsent() {
        synchronized (lock) {
            return unsent;
        }
    }

    /** Drops what waits (not what is on its way). */
    public void discard() {
        synchronized (lock) {
            dropWaiting();
            lock.notifyAll();
        }
    }

    /** Under the lock. */
    private void dropWaiting() {
        for (Chunk c : waiting) {
            forget(c.backlog, c.left());
            unsent -= c.left();
        }
        waiting.clear();
    }

    /** Whether a write failed (the client left, the channel closed). */
    public boolean failed() {
        synchronized (lock) {
            return failure != null;
        }
    }

    /**
     * Waits until at most {@code most} bytes are unsent; true then. False when a write failed, or
     * the stall limit passed without a write completing (the client is dropped then).
     */
    public boolean awaitUnsent(long most) throws InterruptedException {
        synchronized (lock) {
            while (unsent > most && failure == null) {
                long left = moved + stallNanos - System.nanoTime();
                if (left <= 0) break;
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            if (failure != null) return false;
            if (unsent <= most) return true;
        }
        dropStalled();
        return false;
    }

    /**
     * This queue as a stream that may wait: a write is queued (copied) and returns once at most
     * {@link #BLOCKING_UNSENT} bytes are unsent, flush once all is written. Once the client is
     * dropped (stalled) or a write failed, every write and flush fails saying so.
     */
    public OutputStream blocking() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (!send(java.util.Arrays.copyOfRange(b, off, off + len), null)) throw ended();
                await(BLOCKING_UNSENT);
            }

            @Override
            public void flush() throws IOException {
                await(0);
            }

            /** Sends what waits, if the client takes it; ends nothing (the front door closes the channel). */
            @Override
            public void close() {
                try {
                    flush();
                } catch (IOException e) {
                    // the session has ended; the handler learns that from its writes and in()
                }
            }

            private void await(long most) throws IOException {
                try {
                    if (!awaitUnsent(most)) throw ended();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while the client took what was written");
                }
            }
        };
    }

    /** Why nothing goes out: the stall's own words, else the failed write's. */
    private IOException ended() {
        Throwable why;
        synchronized (lock) {
            why = failure;
        }
        if (why instanceof Stalled) return new IOException(why.getMessage(), why);
        return new IOException("the session's output has ended" + (why == null || why.getMessage() == null ? "" : ": " + why.getMessage()), why);
    }

    /** Writes batches until nothing waits; a batch that completes later continues from its completion. */
    private void drain() {
        while (true) {
            Batch b;
            synchronized (lock) {
                if (waiting.isEmpty() || failure != null) {
                    writing = false;
                    lock.notifyAll();
                    return;
                }
                b = new Batch(take());
            }
            if (!b.start()) return;
        }
    }

    /** The next {@link #BATCH_BYTES} at most of what waits, the chunks taken whole leaving the queue. Under the lock. */
    private List<Slice> take() {
        List<Slice> batch = new ArrayList<>();
        int bytes = 0;
        while (!waiting.isEmpty() && bytes < BATCH_BYTES) {
            Chunk c = waiting.peek();
            int n = Math.min(c.left(), BATCH_BYTES - bytes);
            batch.add(new Slice(c, c.from, n));
            c.from += n;
            bytes += n;
            if (c.left() == 0) waiting.poll();
        }
        return batch;
    }

    private static void forget(Backlog backlog, long bytes) {
        if (backlog != null) backlog.add(-bytes);
    }

    /** One write of the sink; its completion may come before {@link #start} returns, or later on another thread. */
    private final class Batch {
        private static final int STARTED = 0;
        private static final int RETURNED = 1;
        private static final int DONE = 2;
        private final List<Slice> slices;
        private final AtomicInteger state = new AtomicInteger(STARTED);
        private final int length;

        Batch(List<Slice> slices) {
            this.slices = slices;
            this.length = slices.stream().mapToInt(Slice::length).sum();
        }

        /** True when the write completed already (fine or not): the caller goes on. */
        boolean start() {
            byte[] bytes;
            Slice first = slices.get(0);
            if (slices.size() == 1 && first.from() == 0 && first.length() == first.chunk().data.length) {
                bytes = first.chunk().data; // the common case: one chunk, whole, not copied
            } else {
                bytes = new byte[length];
                int at = 0;
                for (Slice sl : slices) {
                    System.arraycopy(sl.chunk().data, sl.from(), bytes, at, sl.length());
                    at += sl.length();
                }
            }
            try {
                sink.write(bytes, this::done);
            } catch (RuntimeException e) {
                done(e);
            }
            // done() comes later and goes on from there; else it came already, and the caller goes on
            return !state.compareAndSet(STARTED, RETURNED);
        }

        private void done(Throwable error) {
            boolean first;
            synchronized (lock) {
                for (Slice sl : slices) forget(sl.chunk().backlog, sl.length());
                unsent -= length;
                moved = System.nanoTime();
                first = error != null && failure == null;
                if (first) {
                    failure = error;
                    dropWaiting();
                }
                lock.notifyAll();
            }
            if (first) failed.accept(error);
            if (state.getAndSet(DONE) == RETURNED) drain();
        }
    }
}
