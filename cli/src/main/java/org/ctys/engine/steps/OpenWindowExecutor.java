package org.ctys.engine.steps;

import java.util.concurrent.CompletableFuture;
import org.ctys.engine.run.Windows;
import org.ctys.spi.OpenWindow;

/** Opens a terminal window that runs ctys again for one target. */
public final class OpenWindowExecutor implements StepExecutor<OpenWindow> {

    @Override
    public CompletableFuture<Void> run(OpenWindow w, RunContext ctx) {
        if (ctx.ledger().isFinished(w.target())) return CompletableFuture.completedFuture(null);
        return CompletableFuture.runAsync(() -> ctx.ledger().record(w.target(), Windows.open(w)), ctx.blocking());
    }
}
