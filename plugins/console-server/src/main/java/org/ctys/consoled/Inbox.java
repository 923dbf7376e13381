package org.ctys.consoled;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Bytes handed from a thread that reads a stream (blocking, in the kernel) to the daemon's reader:
 * {@link #await} sleeps on this monitor until bytes or the end arrive; {@link #take()} never waits.
 * At most {@link #LIMIT} bytes wait here: past that the pumping thread waits too, so a reader that
 * falls behind slows the source down instead of filling the memory.
 */
final class Inbox {
    static final int LIMIT = 1 << 20;

    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private IOException end;

    /** Adds bytes, waiting while {@link #LIMIT} bytes are not taken yet. */
    synchronized void put(byte[] bytes, int offset, int length) throws InterruptedException {
        while (data.size() >= LIMIT && end == null) wait();
        data.write(bytes, offset, length);
        notifyAll();
    }

    /** The source ended: once what came before is taken, {@link #take()} throws {@code why}. The first end counts. */
    synchronized void end(IOException why) {
        if (end == null) end = why;
        notifyAll();
    }

    /** Waits at most {@code millis} for bytes or the end. */
    synchronized void await(long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000L;
        while (data.size() == 0 && end == null) {
            long left = until - System.nanoTime();
            if (left <= 0) return;
            wait(Math.max(1, left / 1_000_000L));
        }
    }

    /** What arrived since the last call, empty when nothing did; the end once everything before it was taken. */
    synchronized byte[] take() throws IOException {
        if (data.size() > 0) {
            byte[] bytes = data.toByteArray();
            data.reset();
            notifyAll();
            return bytes;
        }
        if (end != null) throw end;
        return new byte[0];
    }
}
