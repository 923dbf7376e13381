package org.ctys.engine.steps;

import java.util.concurrent.CompletableFuture;
import org.ctys.grammar.Durations;
import org.ctys.spi.Delay;

/** Waits as told, holding no thread. */
public final class DelayExecutor implements StepExecutor<Delay> {

    @Override
    public CompletableFuture<Void> run(Delay d, RunContext ctx) {
        if (ctx.ledger().isFinished(d.target()) || ctx.stopped()) return CompletableFuture.completedFuture(null);
        ctx.ledger().begin(d.target(), "waiting", "waiting " + Durations.format(d.delay()) + ": " + d.why());
        return ctx.delay(d.delay());
    }
}
