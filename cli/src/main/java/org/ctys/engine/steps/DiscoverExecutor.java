package org.ctys.engine.steps;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.ctys.engine.run.Shells;
import org.ctys.spi.Discover;
import org.ctys.spi.Output;
import org.ctys.spi.SecretUse;
import org.ctys.spi.Step;
import org.ctys.transport.ssh.SshTransport;

/**
 * Asks a machine what runs on it and runs what the plugin makes of the answer: the targets it
 * found join the report (after their host), then their steps run like any others.
 */
public final class DiscoverExecutor implements StepExecutor<Discover> {
    /** What a listing may print: ten thousand guests' lines fit. */
    static final int OUTPUT_CAP = 4 * 1024 * 1024;

    /** The SSH client is built ahead when a machine is asked over SSH. */
    @Override
    public void prepare(List<? extends Discover> steps) {
        if (steps.stream().anyMatch(d -> d.remote() != null)) SshTransport.prepare();
    }

    @Override
    public CompletableFuture<Void> run(Discover d, RunContext ctx) {
        if (ctx.ledger().isFinished(d.target())) return CompletableFuture.completedFuture(null);
        return CompletableFuture.supplyAsync(() -> ask(d, ctx), ctx.blocking()).thenCompose(next -> next == null
                ? CompletableFuture.completedFuture(null) : ctx.exec(next));
    }

    /** The steps that follow, or null when the host could not be asked (its verdict is recorded). */
    private static Step ask(Discover d, RunContext ctx) {
        ctx.ledger().begin(d.target(), "discovering", "asking what runs: " + (d.remote() == null ? "sh -c " : d.remote().describe() + " ")
                + org.ctys.spi.ShellWords.quote(d.command()));
        Output out;
        try {
            out = Gather.run(ctx, d.remote(), d.command(), d.timeout(), OUTPUT_CAP);
        } catch (Shells.Failure f) {
            Discover.Expanded instead = f.kind() == Shells.Failure.Kind.REFUSED ? null : d.expansion().unreached(f.verdict(), f.commandSent());
            if (instead == null) {
                ctx.ledger().record(d.target(), f.verdict());
                return null;
            }
            return added(d, instead, ctx);
        }
        if (ctx.stopped()) return null;
        return added(d, d.expansion().expand(out), ctx);
    }

    /** The targets found join the report; their steps come next. */
    private static Step added(Discover d, Discover.Expanded found, RunContext ctx) {
        return added(d.target(), found, ctx);
    }

    /** As for a Discover: what an answer added to the plan ({@link SubmitExecutor} too). */
    static Step added(String target, Discover.Expanded found, RunContext ctx) {
        for (Discover.Added a : found.targets()) ctx.ledger().add(a.target(), a.under());
        if (!found.targets().isEmpty()) {
            // what a report stopped meanwhile says of the host: it waits for what was found on it
            ctx.ledger().begin(target, "waiting", "waiting for " + String.join(", ",
                    found.targets().stream().map(Discover.Added::target).toList()));
        }
        requireNoSecrets(found.next(), ctx);
        return found.next();
    }

    /** Secrets are read before anything is sent; a step found later may only use one read then. */
    static void requireNoSecrets(Step step, RunContext ctx) {
        for (SecretUse use : step.secrets()) {
            if (ctx.secret(use.ref()) == null) {
                throw new IllegalStateException("a discovered step needs a secret the plan did not declare: " + step.describe());
            }
        }
        step.children().forEach(c -> requireNoSecrets(c, ctx));
    }

}
