package org.ctys.engine.steps;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.ctys.grammar.Durations;
import org.ctys.spi.Verdict;
import org.ctys.spi.WaitUntilUp;

/** Asks until a machine answers, a set number of tries a set interval apart, within a limit. */
public final class WaitUntilUpExecutor implements StepExecutor<WaitUntilUp> {

    @Override
    public CompletableFuture<Void> run(WaitUntilUp w, RunContext ctx) {
        return attempt(w, ctx, 1, System.nanoTime());
    }

    private CompletableFuture<Void> attempt(WaitUntilUp w, RunContext ctx, int attempt, long started) {
        if (ctx.ledger().isFinished(w.target()) || ctx.stopped()) return CompletableFuture.completedFuture(null);
        long limitNanos = w.limit() == null ? Long.MAX_VALUE : w.limit().toNanos();
        long left = limitNanos - (System.nanoTime() - started);
        Duration tryTimeout = left < w.tryTimeout().toNanos() ? Duration.ofNanos(Math.max(left, 0)) : w.tryTimeout();
        return ctx.answers(w.address(), w.tcpPort(), tryTimeout).thenCompose(up -> {
            long elapsed = System.nanoTime() - started;
            double secs = elapsed / 1e9;
            if (up) {
                ctx.ledger().record(w.target(), Verdict.proceed("up", String.format(
                        "answers after %.1fs (try %d of %d)", secs, attempt, w.tries())));
                return CompletableFuture.completedFuture(null);
            }
            // tries start `interval` apart, however long the silent try took
            long next = attempt * w.interval().toNanos() - elapsed;
            if (attempt >= w.tries() || elapsed + Math.max(0, next) >= limitNanos) {
                ctx.ledger().record(w.target(), Verdict.fail("no-answer", String.format(
                        "%s did not answer ping or TCP %d: %d tries %s apart (%.1fs)", w.address(),
                        w.tcpPort(), attempt, Durations.format(w.interval()), secs)));
                return CompletableFuture.completedFuture(null);
            }
            ctx.ledger().record(w.target(), Verdict.proceed("waiting", String.format(
                    "no answer yet (try %d of %d)", attempt, w.tries())));
            return ctx.delay(Duration.ofNanos(Math.max(0, next))).thenCompose(v -> attempt(w, ctx, attempt + 1, started));
        });
    }
}
