package org.ctys.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.ctys.testkit.Proc;

/**
 * A user watching one console with the server's own client ({@code conman -m}, OpenSSH's
 * {@code ssh}), each on a pseudo-terminal of its own: both clients want a terminal, and
 * {@code script} (bsdutils) gives them one and copies what they print to this program at once
 * ({@code -f}). A thread reads it and notes when each probe line arrives (System.nanoTime right
 * after the read that completed it), so the delay includes the client and the pty, the same two
 * hops for both servers. Its stdin is a pipe this program keeps open and never writes to.
 */
final class Watcher implements AutoCloseable {
    private static final int TAIL = Generator.PROBE.length() + 6;

    private final Process script;
    private final Map<Integer, Long> arrivals = new ConcurrentHashMap<>();
    private final StringBuffer seen = new StringBuffer();
    private final Thread reader;

    private Watcher(Process script) {
        this.script = script;
        this.reader = new Thread(this::read, "watcher");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code command} on a pty and waits until its output contains {@code ready} (it is attached). */
    static Watcher start(List<String> command, String ready, Duration limit) throws IOException {
        String script = Proc.require("script", "bsdutils");
        String line = command.stream().map(Proc::shellQuote).collect(Collectors.joining(" "));
        Process p = new ProcessBuilder(script, "-q", "-f", "-e", "-c", line, "/dev/null").redirectErrorStream(true).start();
        Watcher w = new Watcher(p);
        if (!Proc.await(() -> w.seen.indexOf(ready) >= 0 || !p.isAlive(), limit) || w.seen.indexOf(ready) < 0) {
            w.close();
            throw new IllegalStateException("the watcher " + line + " did not show '" + ready + "' within " + limit.toSeconds()
                    + " s; it printed: " + w.seen);
        }
        return w;
    }

    private void read() {
        InputStream in = script.getInputStream();
        byte[] buf = new byte[8192];
        StringBuilder pending = new StringBuilder();
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                long at = System.nanoTime();
                String text = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                // what it printed before the first probe (the attach messages), for the ready check and for failures
                if (seen.length() < 4096) seen.append(text);
                pending.append(text);
                for (int id : Generator.probeIds(pending.toString())) arrivals.putIfAbsent(id, at);
                if (pending.length() > TAIL) pending.delete(0, pending.length() - TAIL);
            }
        } catch (IOException ended) {
            // the client ended
        }
    }

    /** Probe id to the System.nanoTime it arrived at. */
    Map<Integer, Long> arrivals() { return Map.copyOf(arrivals); }

    @Override
    public void close() {
        Proc.stop(script);
        try {
            reader.join(Proc.STOP_LIMIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
