package org.ctys.engine.run;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.ctys.spi.Remote;

/**
 * The watches of one run ({@link Shells#watch}): commands that print a line whenever something
 * changes on a machine ({@code virsh event --loop}), shared by every wait that listens to the same
 * command on the same machine. A watch starts with its first listener and ends with its last; eight
 * guests stopping on one host are heard through one {@code virsh event}.
 *
 * <p>A watch only ever hastens a wait: one that cannot be started (no room, no login, the command
 * missing) or that ends early is not an error, the waits go on asking as before.
 */
public final class Watches implements AutoCloseable {
    /** A line longer than this is no event ctys reads: it is handed on cut, which no reader takes. */
    static final int LINE_CAP = 4096;

    /** Starts the command; null when there is no room for it. */
    @FunctionalInterface
    public interface Opener {
        Shells.Watch open(Remote remote, String command, OutputStream out, OutputStream err) throws Shells.Failure;
    }

    /** One listener's hold on a watch: closing it lets the watch end when no one else listens. */
    public interface Listening extends AutoCloseable {
        @Override
        void close();
    }

    private record Key(Remote remote, String command) {}

    /** Made at the first message: a run without watches never starts the logging (SLF4J reads its configuration). */
    private static final class Log {
        static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Watches.class);
    }

    private final Opener opener;
    private final Executor executor;
    private final Map<Key, Hub> hubs = new HashMap<>();
    private final List<Hub> started = new ArrayList<>();
    private boolean closed;

    /** @param executor where watches are started and ended (both block briefly) */
    public Watches(Opener opener, Executor executor) {
        this.opener = opener;
        this.executor = executor;
    }

    /**
     * Calls {@code onLine} with every line {@code command} on {@code remote} (null: this host) prints
     * from now until the returned hold is closed, in the thread that reads it: {@code onLine} must
     * not block.
     */
    public Listening listen(Remote remote, String command, Consumer<String> onLine) {
        Key key = new Key(remote, command);
        Hub hub;
        boolean first;
        synchronized (hubs) {
            if (closed) return () -> {};
            hub = hubs.get(key);
            first = hub == null;
            if (first) {
                hub = new Hub(key);
                hubs.put(key, hub);
                started.add(hub);
            }
            hub.listeners.add(onLine);
        }
        if (first) {
            Hub h = hub;
            run(h::start);
        }
        Hub h = hub;
        return () -> leave(h, onLine);
    }

    private void leave(Hub hub, Consumer<String> onLine) {
        synchronized (hubs) {
            if (!hub.listeners.remove(onLine) || !hub.listeners.isEmpty()) return;
            hubs.remove(hub.key, hub);
        }
        // marked at once, so that a start not yet begun never begins; the ending itself may block
        Shells.Watch w = hub.stop();
        if (w != null) run(w::close);
    }

    private void run(Runnable r) {
        try {
            executor.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            r.run(); // the run is ending: do it here
        }
    }

    /**
     * Ends every watch still running, all at once, and waits for them within {@link #CLOSE_GRACE}:
     * each may take its own grace to end (a host that stopped answering never confirms), and one
     * after another that was a couple of seconds per host after a Ctrl-C, before the report.
     */
    @Override
    public void close() {
        List<Hub> all;
        synchronized (hubs) {
            closed = true;
            hubs.clear();
            all = new ArrayList<>(started);
        }
        List<Thread> closing = new ArrayList<>();
        for (Hub h : all) {
            Shells.Watch w = h.stop();
            if (w == null) continue;
            Thread t = new Thread(w::close, "ctys-watch-close");
            t.setDaemon(true);
            t.start();
            closing.add(t);
        }
        long until = System.nanoTime() + CLOSE_GRACE.toNanos();
        try {
            for (Thread t : closing) {
                long left = until - System.nanoTime();
                if (left > 0) t.join(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long closing the watches may take in all (each gives its command a short grace to end). */
    static final java.time.Duration CLOSE_GRACE = java.time.Duration.ofSeconds(3);

    /** One command on one machine and the waits that listen to it. */
    private final class Hub {
        final Key key;
        final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
        private Shells.Watch watch;
        private boolean stopped;

        Hub(Key key) { this.key = key; }

        void start() {
            synchronized (this) {
                if (stopped) return;
            }
            Shells.Watch w;
            String where = key.remote() == null ? "this host" : key.remote().describe();
            // what the command says on its error stream (virsh refusing an option, no connection) is for -d 3
            LineSplitter said = new LineSplitter(LINE_CAP, line -> Log.LOG.debug("watch on {}: {}", where, line));
            try {
                w = opener.open(key.remote(), key.command(), new LineSplitter(LINE_CAP, this::heard), said);
            } catch (Shells.Failure | RuntimeException e) {
                Log.LOG.debug("no watch on {} (the waits only ask): {}", where, e.getMessage());
                return;
            }
            if (w == null) {
                Log.LOG.debug("no watch on {}: no free channel (the waits only ask)", where);
                return;
            }
            boolean stopNow;
            synchronized (this) {
                stopNow = stopped;
                if (!stopNow) watch = w;
            }
            if (stopNow) w.close();
        }

        /** Marks it stopped; returns the watch to end, if it had started and was not ended yet. */
        synchronized Shells.Watch stop() {
            stopped = true;
            Shells.Watch w = watch;
            watch = null;
            return w;
        }

        private void heard(String line) {
            for (Consumer<String> l : listeners) l.accept(line);
        }
    }
}
