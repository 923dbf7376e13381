package org.ctys.engine.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctys.spi.Output;
import org.ctys.spi.Result;
import org.ctys.spi.Verdict;

/**
 * The state of every target while a plan runs: what the last step said of it and whether it is
 * finished (done or failed). Steps of a finished target are skipped. Thread-safe.
 */
public final class Ledger {
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Progress progress;

    private static final class Entry {
        final long started = System.nanoTime();
        long ended;
        Result.Status status = Result.Status.OK;
        boolean finished;
        String state = "planned";
        String message = "nothing done yet";
        Map<String, String> fields = Map.of();
        Output output;
    }

    public Ledger(List<String> targets, Progress progress) {
        this.progress = progress;
        for (String t : targets) entries.put(t, new Entry());
    }

    /**
     * A target found while the plan runs (a guest on a host): reported right after the last target
     * of {@code under}'s stack ({@code under} itself, or {@code under[...]}), or last when there is none.
     * A target already known is left where it is.
     */
    public synchronized void add(String target, String under) {
        if (entries.containsKey(target)) return;
        Map<String, Entry> reordered = new LinkedHashMap<>();
        String after = null;
        for (String t : entries.keySet()) {
            if (t.equals(under) || t.startsWith(under + "[")) after = t;
        }
        for (Map.Entry<String, Entry> me : entries.entrySet()) {
            reordered.put(me.getKey(), me.getValue());
            if (me.getKey().equals(after)) reordered.put(target, new Entry());
        }
        if (after == null) reordered.put(target, new Entry());
        entries.clear();
        entries.putAll(reordered);
    }

    /** Nothing failed the target (so far): what depends on it may go on. */
    public synchronized boolean endedWell(String target) {
        Entry e = entries.get(target);
        return e != null && e.status == Result.Status.OK;
    }

    /** "state: message" of a target, for a message naming why another waits on it. */
    public synchronized String lastWord(String target) {
        Entry e = entries.get(target);
        return e == null ? "nothing done" : e.state + ": " + e.message;
    }

    public synchronized boolean isFinished(String target) {
        Entry e = entries.get(target);
        return e != null && e.finished;
    }

    public void record(String target, Verdict verdict) {
        record(target, verdict, Map.of());
    }

    /** Progress is told inside the lock, so its lines come in the order the states changed. */
    public synchronized void record(String target, Verdict verdict, Map<String, String> fields) {
        Entry e = entries.computeIfAbsent(target, t -> new Entry());
        if (e.finished) return;
        e.state = verdict.state();
        e.message = verdict.message();
        if (!fields.isEmpty()) {
            // a later step adds to what an earlier one said (LIST: the inventory, then the power)
            Map<String, String> merged = new java.util.LinkedHashMap<>(e.fields == null ? Map.of() : e.fields);
            merged.putAll(fields);
            e.fields = merged;
        }
        switch (verdict.effect()) {
            case FAIL -> { e.status = Result.Status.FAILED; e.finished = true; e.ended = System.nanoTime(); }
            case REFUSE -> { e.status = Result.Status.CONFIG; e.finished = true; e.ended = System.nanoTime(); }
            case DONE -> { e.finished = true; e.ended = System.nanoTime(); }
            default -> e.ended = System.nanoTime();
        }
        progress.update(target, verdict);
    }

    /**
     * A step started on this target: what it is doing becomes its last state, so that a run stopped
     * meanwhile says what was under way ("last: running: ssh lab01 …"). Progress is not told: the
     * step's own outcome is what the user follows.
     */
    public synchronized void begin(String target, String state, String what) {
        Entry e = entries.get(target);
        if (e == null || e.finished) return;
        e.state = state;
        e.message = what;
    }

    /** What a remote command left on this target, kept for the report. */
    public synchronized void output(String target, Output output) {
        Entry e = entries.get(target);
        if (e != null && !e.finished) e.output = output;
    }

    /** A target's own --timeout ran out: it failed, the others go on. */
    public void timedOut(String target, String bound) {
        record(target, Verdict.fail("timed-out", "its own --timeout of " + bound + " ran out (last: "
                + lastWord(target) + ")"));
    }

    /** Marks every unfinished target as stopped by the overall timeout or an interrupt. */
    public synchronized void stopUnfinished(Result.Status status, String why) {
        for (Entry e : entries.values()) {
            if (!e.finished) {
                e.status = status;
                e.message = why + " (last: " + e.state + ": " + e.message + ")";
                e.state = status == Result.Status.TIMEOUT ? "timed-out" : "interrupted";
                e.finished = true;
                e.ended = System.nanoTime();
            }
        }
    }

    public synchronized List<Result> results() {
        List<Result> out = new ArrayList<>(entries.size());
        for (Map.Entry<String, Entry> me : entries.entrySet()) {
            Entry e = me.getValue();
            long end = e.ended == 0 ? System.nanoTime() : e.ended;
            out.add(new Result(me.getKey(), e.status, e.state, e.message, Duration.ofNanos(end - e.started), e.fields,
                    e.output));
        }
        return out;
    }
}
