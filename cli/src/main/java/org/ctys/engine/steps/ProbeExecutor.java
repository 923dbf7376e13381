package org.ctys.engine.steps;

import java.util.concurrent.CompletableFuture;
import org.ctys.spi.Probe;

/** Asks once whether a machine answers and records the verdict for either answer. */
public final class ProbeExecutor implements StepExecutor<Probe> {

    @Override
    public CompletableFuture<Void> run(Probe p, RunContext ctx) {
        if (ctx.ledger().isFinished(p.target())) return CompletableFuture.completedFuture(null);
        return ctx.answers(p.address(), p.tcpPort(), p.timeout())
                .thenAccept(up -> ctx.ledger().record(p.target(), up ? p.ifUp() : p.ifDown()));
    }
}
