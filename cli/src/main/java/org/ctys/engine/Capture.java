package org.ctys.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.ctys.engine.run.CommandSink;
import org.ctys.grammar.Sizes;
import org.ctys.spi.Captured;
import org.ctys.spi.Output;

/**
 * Gathers one target's output and error output, at most {@code cap} bytes of each (a flood on one
 * does not hide the error message on the other); what comes after is read (so the command runs to
 * its end) and dropped, and counted. Each stream keeps its last few KiB in memory and the rest in
 * the run's {@link Spool}.
 */
final class Capture implements CommandSink {
    /** Bytes a stream holds in memory before they go to the spool, in one piece. */
    static final int CHUNK = 16 * 1024;

    private final long cap;
    private final Spool spool;
    private final Stream out = new Stream();
    private final Stream err = new Stream();

    Capture(long cap, Spool spool) {
        this.cap = cap;
        this.spool = spool;
    }

    @Override
    public OutputStream out() { return out; }

    @Override
    public OutputStream err() { return err; }

    @Override
    public Output finish(Integer exitStatus, String exitSignal) { return new Output(out, err, exitStatus, exitSignal); }

    @Override
    public String note() {
        long dropped = out.dropped() + err.dropped();
        if (dropped == 0) return "";
        String which = out.truncated() && err.truncated() ? "output and error output truncated after " + Sizes.format(cap) + " each"
                : (out.truncated() ? "output" : "error output") + " truncated after " + Sizes.format(cap);
        return "; " + which + " (" + Sizes.approximate(dropped) + " more read and dropped)";
    }

    private final class Stream extends OutputStream implements Captured {
        private byte[] tail = new byte[0];
        private int tailLength;
        private long[] chunks = new long[0]; // where each full CHUNK went in the spool
        private int chunkCount;
        private long dropped;
        private long kept;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int n = (int) Math.min(len, cap - kept);
            kept += n;
            dropped += len - n;
            while (n > 0) {
                if (tailLength == tail.length) grow();
                int part = Math.min(n, tail.length - tailLength);
                System.arraycopy(b, off, tail, tailLength, part);
                tailLength += part;
                off += part;
                n -= part;
                if (tailLength == CHUNK) spill();
            }
        }

        /** Doubles the buffer, up to one chunk: output of a few bytes costs a few bytes. */
        private void grow() {
            tail = Arrays.copyOf(tail, Math.min(CHUNK, Math.max(256, tail.length * 2)));
        }

        private void spill() {
            try {
                long at = spool.append(tail, 0, CHUNK);
                if (chunkCount == chunks.length) chunks = Arrays.copyOf(chunks, Math.max(8, chunkCount * 2));
                chunks[chunkCount++] = at;
            } catch (IOException e) {
                // no room for it on disk: it is dropped like output past the cap, and counted
                dropped += CHUNK;
            }
            tailLength = 0;
        }

        @Override
        public synchronized long size() { return (long) chunkCount * CHUNK + tailLength; }

        @Override
        public synchronized long dropped() { return dropped; }

        @Override
        public synchronized InputStream open() {
            long[] at = Arrays.copyOf(chunks, chunkCount);
            byte[] last = Arrays.copyOf(tail, tailLength);
            return new InputStream() {
                private int chunk;
                private int pos;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) return 0;
                    if (chunk < at.length) {
                        int n = Math.min(len, CHUNK - pos);
                        spool.read(at[chunk] + pos, b, off, n);
                        pos += n;
                        if (pos == CHUNK) {
                            chunk++;
                            pos = 0;
                        }
                        return n;
                    }
                    if (pos >= last.length) return -1;
                    int n = Math.min(len, last.length - pos);
                    System.arraycopy(last, pos, b, off, n);
                    pos += n;
                    return n;
                }
            };
        }
    }
}
