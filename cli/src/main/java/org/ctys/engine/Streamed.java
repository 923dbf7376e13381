package org.ctys.engine;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.ctys.engine.run.CommandSink;
import org.ctys.grammar.Sizes;
import org.ctys.spi.Output;

/**
 * A target's output printed line by line as it comes, each line prefixed with the target
 * ({@code lab01: text}), as pdsh does: output lines on ctys's stdout, error lines on its stderr.
 * Only the line being received is held; a line longer than the cap is printed cut at the cap and
 * the rest of it dropped. Lines of different targets never mix: each is written whole.
 */
final class Streamed implements CommandSink {
    private final long cap;
    private final byte[] prefix;
    private final Lines out;
    private final Lines err;

    Streamed(String target, long cap, PrintStream out, PrintStream err) {
        this.cap = cap;
        this.prefix = (target + ": ").getBytes(StandardCharsets.UTF_8);
        this.out = new Lines(out);
        this.err = new Lines(err);
    }

    @Override
    public OutputStream out() { return out; }

    @Override
    public OutputStream err() { return err; }

    @Override
    public Output finish(Integer exitStatus, String exitSignal) {
        out.end();
        err.end();
        return Output.exitOnly(exitStatus, exitSignal);
    }

    @Override
    public String note() {
        long cut = out.cut() + err.cut();
        return cut == 0 ? "" : "; " + cut + (cut == 1 ? " line" : " lines") + " cut at " + Sizes.format(cap);
    }

    private final class Lines extends OutputStream {
        private final PrintStream to;
        private byte[] line = new byte[256];
        private int length;
        private boolean cutting; // the rest of a cut line is dropped up to its newline
        private long cut;
        private boolean closed;

        Lines(PrintStream to) { this.to = to; }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (closed) return;
            boolean printed = false;
            for (int i = off; i < off + len; i++) {
                byte c = b[i];
                if (c == '\n') {
                    if (cutting) cutting = false;
                    else printed |= emit();
                } else if (!cutting) {
                    if (length == cap) {
                        emit();
                        printed = true;
                        cutting = true;
                        cut++;
                    } else {
                        if (length == line.length) line = Arrays.copyOf(line, (int) Math.min(cap, line.length * 2L));
                        line[length++] = c;
                    }
                }
            }
            if (printed) to.flush();
        }

        private boolean emit() {
            synchronized (to) {
                to.write(prefix, 0, prefix.length);
                to.write(line, 0, length);
                to.write('\n');
            }
            length = 0;
            if (line.length > 64 * 1024) line = new byte[256]; // a long line's buffer is not kept
            return true;
        }

        synchronized long cut() { return cut; }

        /**
         * Not the end: a transport closes the streams of a channel it gives up on and then tries
         * another with the same streams. {@link #end()} is.
         */
        @Override
        public void close() {}

        /** The command has ended: its last line, when it had no newline, is printed with one. */
        synchronized void end() {
            if (closed) return;
            closed = true;
            if (length > 0) {
                emit();
                to.flush();
            }
        }
    }
}
