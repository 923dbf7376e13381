package org.ctys.console;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The last bytes a console's far end sent, kept so that the message on how it ended can quote what
 * it said last (a hypervisor's "error: The domain is not running", a console server's
 * "ctys-consoled: ..."), without keeping its whole output.
 */
public final class OutputTail {
    private final byte[] tail;
    private int kept;

    /** @param capacity how many of the last bytes are kept */
    public OutputTail(int capacity) { this.tail = new byte[capacity]; }

    /** Adds what was just read. */
    public synchronized void keep(byte[] data) {
        if (data.length >= tail.length) {
            System.arraycopy(data, data.length - tail.length, tail, 0, tail.length);
            kept = tail.length;
        } else if (data.length > 0) {
            int stay = Math.min(kept, tail.length - data.length);
            System.arraycopy(tail, kept - stay, tail, 0, stay);
            System.arraycopy(data, 0, tail, stay, data.length);
            kept = stay + data.length;
        }
    }

    /** The kept text's lines, first to last, stripped; empty lines left out. */
    public synchronized List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (String line : new String(tail, 0, kept, StandardCharsets.UTF_8).split("[\r\n]+")) {
            String l = line.strip();
            if (!l.isEmpty()) lines.add(l);
        }
        return lines;
    }
}
