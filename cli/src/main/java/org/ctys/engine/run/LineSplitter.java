package org.ctys.engine.run;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits what a command prints into lines (UTF-8, without the line end, a CR before it dropped),
 * each handed on whole as soon as its end arrives. A line longer than the cap is handed on cut to it.
 */
public final class LineSplitter extends OutputStream {
    private final int cap;
    private final Consumer<String> each;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean cut;

    public LineSplitter(int cap, Consumer<String> each) {
        this.cap = cap;
        this.each = each;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emit();
        } else if (line.size() < cap) {
            line.write(b);
        } else {
            cut = true;
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) write(b[i]);
    }

    /** The last line, when the command ended without a line end. */
    public synchronized void end() {
        if (line.size() > 0 || cut) emit();
    }

    private void emit() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        cut = false;
        each.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
    }
}
