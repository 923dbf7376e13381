package org.ctys.console;

import java.io.IOException;
import java.io.InputStream;
import org.jline.utils.NonBlockingInputStream;

/**
 * What was typed, read for a remote session. On a terminal the read polls, so that the reading
 * thread stops with its session instead of holding a read that would swallow the next key typed.
 */
final class TypedInput {
    /** A read that returned nothing because the poll ran out; asked again while the session lasts. */
    static final int NOTHING_YET = 0;
    private static final long POLL_MILLIS = 100;

    private TypedInput() {}

    /**
     * Reads what is there into {@code buf}: at least one byte, or {@link #NOTHING_YET} on a terminal
     * where nothing came within the poll; -1 at the end of input.
     */
    static int read(InputStream in, byte[] buf, boolean terminal) throws IOException {
        if (!(terminal && in instanceof NonBlockingInputStream nb)) return in.read(buf);
        int b = nb.read(POLL_MILLIS);
        if (b == NonBlockingInputStream.READ_EXPIRED) return NOTHING_YET;
        if (b < 0) return -1;
        buf[0] = (byte) b;
        int n = 1;
        while (n < buf.length && nb.available() > 0) {
            int more = nb.read(buf, n, Math.min(buf.length - n, nb.available()));
            if (more <= 0) break;
            n += more;
        }
        return n;
    }
}
