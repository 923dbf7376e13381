package org.ctys.engine.steps;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.ctys.engine.run.Shells;
import org.ctys.spi.Discover;
import org.ctys.spi.Output;
import org.ctys.spi.Step;
import org.ctys.spi.Submit;
import org.ctys.transport.ssh.SshTransport;

/** Hands a command its input and runs what the plugin makes of the answer, as a Discover does. */
public final class SubmitExecutor implements StepExecutor<Submit> {
    /** What an answer may print: it is read whole, and a registration answers in a line. */
    static final int OUTPUT_CAP = 1024 * 1024;

    @Override
    public void prepare(List<? extends Submit> steps) {
        if (steps.stream().anyMatch(s -> s.remote() != null)) SshTransport.prepare();
    }

    @Override
    public CompletableFuture<Void> run(Submit s, RunContext ctx) {
        if (ctx.ledger().isFinished(s.target())) return CompletableFuture.completedFuture(null);
        return CompletableFuture.supplyAsync(() -> submit(s, ctx), ctx.blocking()).thenCompose(next -> next == null
                ? CompletableFuture.completedFuture(null) : ctx.exec(next));
    }

    /** The steps that follow, or null when the command could not be run (its verdict is recorded). */
    private static Step submit(Submit s, RunContext ctx) {
        ctx.ledger().begin(s.target(), "submitting", s.describe());
        Output out;
        try {
            out = Gather.run(ctx, s.remote(), s.command(), s.timeout(), s.input(), OUTPUT_CAP);
        } catch (Shells.Failure f) {
            Discover.Expanded instead = f.kind() == Shells.Failure.Kind.REFUSED ? null : s.expansion().unreached(f.verdict(), f.commandSent());
            if (instead == null) {
                ctx.ledger().record(s.target(), f.verdict());
                return null;
            }
            return DiscoverExecutor.added(s.target(), instead, ctx);
        }
        if (ctx.stopped()) return null;
        return DiscoverExecutor.added(s.target(), s.expansion().expand(out), ctx);
    }
}
