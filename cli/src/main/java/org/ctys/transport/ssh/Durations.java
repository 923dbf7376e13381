package org.ctys.transport.ssh;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.time.Duration;

/** Wording shared by the messages: durations as people write them, causes without MINA's class names. */
final class Durations {

    private Durations() {
    }

    static String text(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 == 0) {
            return ms / 1000 + " s";
        }
        return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** The root cause's own message, which for sockets is what the OS said ("Connection refused"). */
    static String reason(Throwable t) {
        if (t == null) {
            return "no reason given";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        if (root instanceof ConnectException && m == null) {
            return "connection refused";
        }
        if (root instanceof NoRouteToHostException && m == null) {
            return "no route to host";
        }
        return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
    }
}
