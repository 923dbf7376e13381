package org.ctys.engine.steps;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.ctys.engine.run.Shells;
import org.ctys.spi.Output;
import org.ctys.spi.Poll;
import org.ctys.spi.StateReader;
import org.ctys.spi.Verdict;
import org.ctys.spi.WaitForLogin;
import org.ctys.spi.WaitForState;
import org.ctys.spi.WaitUntilUp;

/**
 * The one waiting loop of ctys: asks until the condition holds, tries starting a set interval
 * apart however long a silent try took, each try bounded by what is left of the limit. No thread
 * is held between tries.
 */
public final class PollExecutor implements StepExecutor<Poll> {
    /** What a state command may print: a guest's state is a line, a page is plenty. */
    private static final int STATE_OUTPUT_CAP = 64 * 1024;

    /** What one try found: the condition holds, or not yet (with what was seen), or never will (the target's verdict). */
    private record Try(boolean met, String seen, Verdict fatal) {
        static Try met(String seen) { return new Try(true, seen, null); }

        static Try notYet(String seen) { return new Try(false, seen, null); }

        static Try fatal(Verdict v) { return new Try(false, null, v); }
    }

    @Override
    public CompletableFuture<Void> run(Poll p, RunContext ctx) {
        return attempt(p, ctx, 1, System.nanoTime());
    }

    private CompletableFuture<Void> attempt(Poll p, RunContext ctx, int attempt, long started) {
        if (ctx.ledger().isFinished(p.target()) || ctx.stopped()) return CompletableFuture.completedFuture(null);
        long limitNanos = p.limit() == null ? Long.MAX_VALUE : p.limit().toNanos();
        long left = limitNanos - (System.nanoTime() - started);
        Duration tryTimeout = left < p.tryTimeout().toNanos() ? Duration.ofNanos(Math.max(left, 0)) : p.tryTimeout();
        return ask(p, ctx, tryTimeout).thenCompose(t -> {
            long elapsed = System.nanoTime() - started;
            double secs = elapsed / 1e9;
            if (t.fatal() != null) {
                ctx.ledger().record(p.target(), t.fatal());
                return CompletableFuture.completedFuture(null);
            }
            if (t.met()) {
                ctx.ledger().record(p.target(), Verdict.proceed(p.metState(), String.format("%s after %.1fs (try %d of %d)",
                        p.metText(), secs, attempt, p.tries())));
                return CompletableFuture.completedFuture(null);
            }
            long next = attempt * p.interval().toNanos() - elapsed;
            if (attempt >= p.tries() || elapsed + Math.max(0, next) >= limitNanos) {
                String why = p.failText(attempt, secs, t.seen());
                if (p.otherwise() == null) {
                    ctx.ledger().record(p.target(), Verdict.fail(p.failState(), why));
                    return CompletableFuture.completedFuture(null);
                }
                ctx.ledger().record(p.target(), Verdict.proceed(p.failState(), why));
                return ctx.exec(p.otherwise());
            }
            ctx.ledger().record(p.target(), Verdict.proceed(p.waitingState(), String.format("%s (try %d of %d)",
                    p.waitingText(), attempt, p.tries())));
            return ctx.delay(Duration.ofNanos(Math.max(0, next))).thenCompose(v -> attempt(p, ctx, attempt + 1, started));
        });
    }

    private static CompletableFuture<Try> ask(Poll p, RunContext ctx, Duration tryTimeout) {
        if (p instanceof WaitUntilUp w) {
            return ctx.answers(w.address(), w.tcpPort(), tryTimeout).thenApply(up -> up ? Try.met(null) : Try.notYet(null));
        }
        if (p instanceof WaitForLogin w) return CompletableFuture.supplyAsync(() -> login(w, ctx, tryTimeout), ctx.blocking());
        WaitForState w = (WaitForState) p;
        return CompletableFuture.supplyAsync(() -> state(w, ctx, tryTimeout), ctx.blocking());
    }

    private static Try login(WaitForLogin w, RunContext ctx, Duration tryTimeout) {
        try {
            ctx.shells().login(w.remote(), tryTimeout);
            return Try.met(null);
        } catch (Shells.Failure f) {
            return f.kind() == Shells.Failure.Kind.REFUSED ? Try.fatal(f.verdict()) : Try.notYet(f.getMessage());
        }
    }

    private static Try state(WaitForState w, RunContext ctx, Duration tryTimeout) {
        Output out;
        try {
            out = gather(w, ctx, tryTimeout);
        } catch (Shells.Failure f) {
            // a host key refused is a configuration matter; a host that does not answer right now may again
            return f.kind() == Shells.Failure.Kind.REFUSED ? Try.fatal(f.verdict()) : Try.notYet("unknown (" + f.getMessage() + ")");
        }
        StateReader.Reading r = w.reader().read(out);
        if (r.failure() != null) return Try.fatal(Verdict.fail(w.failState(), r.failure()));
        return r.met() ? Try.met(r.seen()) : Try.notYet(r.seen());
    }

    /** Runs the state command with its output held in memory, capped. */
    static Output gather(WaitForState w, RunContext ctx, Duration timeout) throws Shells.Failure {
        return Gather.run(ctx, w.remote(), w.command(), timeout, STATE_OUTPUT_CAP);
    }
}
