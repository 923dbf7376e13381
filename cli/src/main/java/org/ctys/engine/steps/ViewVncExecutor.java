package org.ctys.engine.steps;

import java.util.concurrent.CompletableFuture;
import org.ctys.engine.run.VncKeeper;
import org.ctys.engine.run.VncSession;
import org.ctys.spi.Verdict;
import org.ctys.spi.ViewVnc;

/**
 * Shows a VNC display in a local viewer. Detached: starts the ctys that holds the forward and
 * reports once its viewer runs. In the foreground: holds the forward itself until the viewer
 * ends (the worker waits on the viewer; a signal or --timeout interrupts it, which ends both).
 */
public final class ViewVncExecutor implements StepExecutor<ViewVnc> {

    @Override
    public CompletableFuture<Void> run(ViewVnc v, RunContext ctx) {
        if (ctx.ledger().isFinished(v.target())) return CompletableFuture.completedFuture(null);
        return CompletableFuture.runAsync(() -> ctx.ledger().record(v.target(), view(v, ctx)), ctx.blocking());
    }

    private static Verdict view(ViewVnc v, RunContext ctx) {
        if (v.detached()) return VncKeeper.start(v);
        java.io.File keeperLog = VncKeeper.keeperLog();
        try {
            return VncSession.run(v, ctx.shells(), v.password() == null ? null : ctx.secret(v.password()), keeperLog,
                    (port, pid) -> {
                        if (keeperLog != null) VncKeeper.ready(port, pid);
                        else System.err.println("ctys: " + v.viewer() + " (pid " + pid + ") on 127.0.0.1::" + port
                                + "; the forward ends with it");
                    });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Verdict.fail("interrupted", "the viewer and its forward were closed");
        }
    }
}
