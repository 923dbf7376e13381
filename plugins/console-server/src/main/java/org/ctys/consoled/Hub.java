package org.ctys.consoled;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every console of the daemon, by name, and the configuration they were made from. A reload
 * keeps each console whose name and endpoint did not change (its link and its users stay),
 * opens the added ones and closes the removed ones.
 */
final class Hub implements AutoCloseable {

    /** Opens the log of a console. */
    @FunctionalInterface
    interface Journals {
        Journal open(DaemonConfig config, String console) throws IOException;
    }

    /** How long closing a console waits for its reader to stop. */
    static final long CLOSE_WAIT_MILLIS = 5_000;

    private final EndpointOpener opener;
    private final Journals journals;
    private final Say say;
    private final Clock clock;
    private final Supplier<Pause> pauses;
    /** Console name in lower case to the console; replaced whole on a reload, read without a lock. */
    private volatile Map<String, Console> consoles = Map.of();
    private volatile DaemonConfig config;
    private final ScheduledExecutorService ticker;

    Hub(EndpointOpener opener, Journals journals, Say say, Clock clock, Supplier<Pause> pauses) {
        this.opener = opener;
        this.journals = journals;
        this.say = say;
        this.clock = clock;
        this.pauses = pauses;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "consoled-ticks");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the log of every console (a log that cannot be opened is a configuration error: nothing
     * started), then starts them all.
     */
    synchronized void start(DaemonConfig first) throws IOException {
        Map<String, Console> made = new LinkedHashMap<>();
        try {
            for (ConsoleDef d : first.consoles()) made.put(key(d.name()), make(first, d));
        } catch (IOException e) {
            for (Console c : made.values()) c.journal().close();
            throw e;
        }
        config = first;
        consoles = made;
        made.values().forEach(Console::start);
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private Console make(DaemonConfig cfg, ConsoleDef d) throws IOException {
        return new Console(d, opener, journals.open(cfg, d.name()), say, clock, pauses.get());
    }

    /** What a reload did, for the daemon's message. */
    record Reloaded(List<String> added, List<String> removed, List<String> changed, int kept) {
        String summary() {
            return "reloaded: " + kept + " kept" + part(", changed ", changed) + part(", added ", added)
                    + part(", removed ", removed);
        }

        private static String part(String what, List<String> names) {
            return names.isEmpty() ? "" : what + String.join(" ", names);
        }
    }

    /** Applies a new configuration; consoles that did not change are not touched. */
    synchronized Reloaded reload(DaemonConfig next) {
        Map<String, Console> old = consoles;
        Map<String, Console> now = new LinkedHashMap<>();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<Console> started = new ArrayList<>();
        int kept = 0;
        for (ConsoleDef d : next.consoles()) {
            Console c = old.get(key(d.name()));
            if (c != null) {
                if (!c.def().endpoint().equals(d.endpoint())) changed.add(d.name());
                else kept++;
                c.redefine(d);
                now.put(key(d.name()), c);
                continue;
            }
            try {
                Console made = make(next, d);
                now.put(key(d.name()), made);
                started.add(made);
                added.add(d.name());
            } catch (IOException e) {
                say.line("cannot open the log of " + d.name() + ", left out: " + e.getMessage());
            }
        }
        List<Console> gone = new ArrayList<>();
        for (Map.Entry<String, Console> e : old.entrySet()) if (!now.containsKey(e.getKey())) gone.add(e.getValue());
        config = next;
        consoles = now;
        started.forEach(Console::start);
        for (Console c : now.values()) c.reaccess(user -> next.access().level(user, c.def()));
        List<String> removed = new ArrayList<>();
        for (Console c : gone) {
            removed.add(c.name());
            c.close(c.name() + " removed from the configuration", CLOSE_WAIT_MILLIS);
        }
        return new Reloaded(added, removed, changed, kept);
    }

    DaemonConfig config() { return config; }

    Optional<Console> console(String name) {
        return Optional.ofNullable(consoles.get(key(name)));
    }

    List<Console> consoles() { return List.copyOf(consoles.values()); }

    private void tick() {
        DaemonConfig cfg = config;
        Duration quiet = cfg == null ? Duration.ZERO : cfg.mark();
        for (Console c : consoles.values()) {
            try {
                c.journal().tick(clock.instant(), quiet);
            } catch (IOException | RuntimeException e) {
                say.line("cannot write the log of " + c.name() + ": " + e.getMessage());
            }
        }
    }

    /** Marks {@code why} in every log and closes every console. */
    @Override
    public synchronized void close() { close("daemon stopping"); }

    synchronized void close(String why) {
        ticker.shutdownNow();
        List<Console> all = List.copyOf(consoles.values());
        consoles = Map.of();
        List<Thread> closers = new ArrayList<>();
        for (Console c : all) {
            Thread t = new Thread(() -> c.close(why, CLOSE_WAIT_MILLIS), "consoled-close-" + c.name());
            closers.add(t);
            t.start();
        }
        for (Thread t : closers) {
            try {
                t.join(CLOSE_WAIT_MILLIS * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static String key(String name) { return name.toLowerCase(Locale.ROOT); }
}
