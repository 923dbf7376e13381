package org.ctys.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.ctys.spi.ControlChars;

/**
 * Standard error for what libraries print (MINA's log lines from -d 1, ctys's own debug log at -d
 * 3, stack traces): the text they quote from a remote machine (a global request's name, a
 * server's disconnect message, a guest's name in a virsh event) with control characters made
 * visible line by line, as in ctys's own lines, so that a hostile host cannot write to the
 * user's terminal (an OSC 52 clipboard write, a retitle) through them. Tabs stay (stack traces
 * indent with them).
 */
final class EscapedLines extends OutputStream {
    /** A line longer than this is passed on in parts. */
    private static final int LONGEST = 64 * 1024;

    private final PrintStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    EscapedLines(PrintStream target) {
        this.target = target;
    }

    /** {@code target} wrapped, as a PrintStream that flushes each line. */
    static PrintStream around(PrintStream target) {
        return new PrintStream(new EscapedLines(target), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            pass(true);
            return;
        }
        line.write(b);
        if (line.size() >= LONGEST) pass(false);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) write(b[i]);
    }

    @Override
    public synchronized void flush() {
        if (line.size() > 0) pass(false);
        target.flush();
    }

    private void pass(boolean ended) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        StringBuilder b = new StringBuilder(text.length() + 8);
        String[] parts = text.split("\t", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) b.append('\t');
            b.append(ControlChars.escape(parts[i]));
        }
        if (ended) b.append('\n');
        target.print(b);
        if (ended) target.flush();
    }
}
