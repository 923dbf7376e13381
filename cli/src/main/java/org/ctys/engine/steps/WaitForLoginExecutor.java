package org.ctys.engine.steps;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.ctys.engine.Shells;
import org.ctys.grammar.Durations;
import org.ctys.spi.Verdict;
import org.ctys.spi.WaitForLogin;

/** Tries SSH logins until one is accepted, a set number of tries a set interval apart. */
public final class WaitForLoginExecutor implements StepExecutor<WaitForLogin> {

    @Override
    public CompletableFuture<Void> run(WaitForLogin w, RunContext ctx) {
        return attempt(w, ctx, 1, System.nanoTime());
    }

    private CompletableFuture<Void> attempt(WaitForLogin w, RunContext ctx, int attempt, long started) {
        if (ctx.ledger().isFinished(w.target()) || ctx.stopped()) return CompletableFuture.completedFuture(null);
        return CompletableFuture.supplyAsync(() -> {
            try {
                ctx.shells().login(w.remote(), w.tryTimeout());
                return (Shells.Failure) null;
            } catch (Shells.Failure f) {
                return f;
            }
        }, ctx.blocking()).thenCompose(f -> {
            long elapsed = System.nanoTime() - started;
            if (f == null) {
                ctx.ledger().record(w.target(), Verdict.proceed("ssh", String.format(
                        "accepts SSH logins after %.1fs (try %d of %d)", elapsed / 1e9, attempt, w.tries())));
                return CompletableFuture.completedFuture(null);
            }
            if (f.kind() == Shells.Failure.Kind.REFUSED || attempt >= w.tries()) {
                ctx.ledger().record(w.target(), f.kind() == Shells.Failure.Kind.REFUSED ? f.verdict()
                        : Verdict.fail("no-ssh", "no SSH login after " + attempt + " tries "
                                + Durations.format(w.interval()) + " apart: " + f.getMessage()));
                return CompletableFuture.completedFuture(null);
            }
            ctx.ledger().record(w.target(), Verdict.proceed("waiting-ssh", "no SSH login yet (try " + attempt + " of "
                    + w.tries() + ")"));
            long next = attempt * w.interval().toNanos() - elapsed;
            return ctx.delay(Duration.ofNanos(Math.max(0, next))).thenCompose(v -> attempt(w, ctx, attempt + 1, started));
        });
    }
}
