package org.ctys.engine.run;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.ctys.spi.Verdict;

/**
 * The one waiting loop of ctys: asks until the condition holds, tries starting a set interval
 * apart however long a silent try took, each try bounded by what is left of the limit. Who
 * drives it says how it waits between tries: the plan's waits on the run's timer, holding no
 * thread; a BMC procedure asleep on its own thread, holding its session from its first question
 * to its last confirmation.
 *
 * @param tries    at most this many tries
 * @param interval the time from one try's start to the next one's
 * @param tryTimeout the bound of one try
 * @param limit    the bound of the whole wait, or null: only the tries bound it
 */
public record PollLoop(int tries, Duration interval, Duration tryTimeout, Duration limit) {

    /** What one try found: the condition holds, or not yet (with what was seen), or never will (the target's verdict). */
    public record Try(boolean met, String seen, boolean answered, Verdict fatal) {
        public static Try met(String seen) { return new Try(true, seen, true, null); }

        public static Try notYet(String seen) { return new Try(false, seen, true, null); }

        /** The question got no answer this time (a slow host): what an earlier try saw still stands. */
        public static Try unanswered(String why) { return new Try(false, why, false, null); }

        public static Try fatal(Verdict v) { return new Try(false, null, true, v); }
    }

    /** How a wait ended: {@link #stopped} told to stop, else with the last try and how long it took. */
    public record Ended(Try last, int attempts, double seconds, boolean stopped, String lastSeen) {
        static final Ended STOPPED = new Ended(null, 0, 0, true, null);

        /** Neither met nor fatal: the tries or the limit ran out. */
        public boolean ranOut() { return !stopped && !last.met() && last.fatal() == null; }
    }

    /** Told after each try that did not meet the condition, before the next one. */
    @FunctionalInterface
    public interface Waiting {
        void notYet(int attempt, Try last);
    }

    /**
     * Runs the wait.
     *
     * @param ask   one try, bounded by the duration it is given
     * @param delay completes after the duration it is given
     * @param stop  asked before every try; once it holds, nothing more is asked
     */
    public CompletableFuture<Ended> run(Function<Duration, CompletableFuture<Try>> ask,
                                        Function<Duration, CompletableFuture<Void>> delay, BooleanSupplier stop, Waiting waiting) {
        return attempt(ask, delay, stop, waiting, 1, System.nanoTime(), null);
    }

    /** One try that blocks its thread (a BMC's answer on a held session). */
    @FunctionalInterface
    public interface BlockingTry<X extends Exception> {
        Try ask(Duration bound) throws X, InterruptedException;
    }

    /**
     * Runs the wait on the caller's thread: every try, and the sleep between two, is here, so a
     * procedure that holds a session keeps it. The exceptions of a try are its own.
     */
    @SuppressWarnings("unchecked")
    public <X extends Exception> Ended runHere(BlockingTry<X> ask, BooleanSupplier stop) throws X, InterruptedException {
        CompletableFuture<Ended> ended = run(bound -> {
            try {
                return CompletableFuture.completedFuture(ask.ask(bound));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }, PollLoop::sleep, stop, (attempt, last) -> {});
        try {
            return ended.get(); // already complete: nothing above left this thread
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
            if (cause instanceof InterruptedException i) throw i;
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw (X) cause;
        }
    }

    private static CompletableFuture<Void> sleep(Duration d) {
        try {
            TimeUnit.NANOSECONDS.sleep(d.toNanos());
            return CompletableFuture.completedFuture(null);
        } catch (InterruptedException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static final Duration MIN_TRY = Duration.ofMillis(1);

    private CompletableFuture<Ended> attempt(Function<Duration, CompletableFuture<Try>> ask,
                                             Function<Duration, CompletableFuture<Void>> delay, BooleanSupplier stop,
                                             Waiting waiting, int attempt, long started, String answeredBefore) {
        if (stop.getAsBoolean()) return CompletableFuture.completedFuture(Ended.STOPPED);
        long limitNanos = limit == null ? Long.MAX_VALUE : limit.toNanos();
        long left = limitNanos - (System.nanoTime() - started);
        // a try that starts at the limit (the timer a moment late) still gets a bound the transports take: 1 ms, not 0
        Duration bound = left < tryTimeout.toNanos() ? Duration.ofNanos(Math.max(left, MIN_TRY.toNanos())) : tryTimeout;
        return ask.apply(bound).thenCompose(t -> {
            long elapsed = System.nanoTime() - started;
            long next = attempt * interval.toNanos() - elapsed;
            // what the wait saw last: this try's answer, or, when it got none, the last answer there was
            String seen = t.answered() || answeredBefore == null ? t.seen() : answeredBefore;
            if (t.met() || t.fatal() != null || attempt >= tries || elapsed + Math.max(0, next) >= limitNanos) {
                return CompletableFuture.completedFuture(new Ended(t, attempt, elapsed / 1e9, false, seen));
            }
            waiting.notYet(attempt, t);
            String carried = t.answered() ? t.seen() : answeredBefore;
            return delay.apply(Duration.ofNanos(Math.max(0, next)))
                    .thenCompose(v -> attempt(ask, delay, stop, waiting, attempt + 1, started, carried));
        });
    }
}
