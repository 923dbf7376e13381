package org.ctys.engine.steps;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.ctys.engine.run.PollLoop;
import org.ctys.engine.run.PollLoop.Try;
import org.ctys.engine.run.Shells;
import org.ctys.engine.run.SharedQuestions;
import org.ctys.engine.run.Watches;
import org.ctys.spi.Output;
import org.ctys.spi.Poll;
import org.ctys.spi.StateReader;
import org.ctys.spi.Verdict;
import org.ctys.spi.WaitForLogin;
import org.ctys.spi.WaitForState;
import org.ctys.spi.WaitUntilUp;
import org.ctys.transport.ssh.SshTransport;

/**
 * Runs the waits of a plan through the one waiting loop of ctys ({@link PollLoop}) on the run's
 * timer: no thread is held between tries. The kinds differ only in what a try asks.
 */
public final class PollExecutor implements StepExecutor<Poll> {
    /** What a state command may print: the states of all of a host's guests, some 60 bytes each with virsh. */
    private static final int STATE_OUTPUT_CAP = 1024 * 1024;

    /** The SSH client is built ahead when a wait asks another machine over SSH (a login, a state). */
    @Override
    public void prepare(List<? extends Poll> steps) {
        if (steps.stream().anyMatch(p -> p instanceof WaitForLogin || p instanceof WaitForState s && s.remote() != null)) {
            SshTransport.prepare();
        }
    }

    @Override
    public CompletableFuture<Void> run(Poll p, RunContext ctx) {
        PollLoop loop = new PollLoop(p.tries(), p.interval(), p.tryTimeout(), p.limit());
        // the wait takes answers to questions asked after it began, each newer than the one before:
        // a try never reads its own previous answer again
        AtomicLong since = new AtomicLong(System.nanoTime());
        // what the wait's watch says, heard between (and during) its tries; never, without one
        CompletableFuture<Try> heard = new CompletableFuture<>();
        Watches.Listening listening = listen(p, ctx, heard);
        Function<Duration, CompletableFuture<Try>> ask = bound -> heard.isDone() ? heard : first(ask(p, ctx, bound, since), heard);
        Function<Duration, CompletableFuture<Void>> delay = d -> heard.isDone() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.anyOf(ctx.delay(d), heard).thenApply(o -> null);
        return loop.run(ask, delay, () -> ctx.ledger().isFinished(p.target()) || ctx.stopped(),
                (attempt, last) -> ctx.ledger().record(p.target(), Verdict.proceed(p.waitingState(),
                        String.format("%s (try %d of %d)", p.waitingText(), attempt, p.tries()))))
                .whenComplete((e, x) -> listening.close())
                .thenCompose(e -> ended(p, ctx, e, !e.stopped() && e.last() == heard.getNow(null)));
    }

    /**
     * Listens to the wait's watch, if it has one: the first line that says the wanted state holds
     * completes {@code heard} (on the run's timer, not in the thread that read the line).
     */
    private static Watches.Listening listen(Poll p, RunContext ctx, CompletableFuture<Try> heard) {
        if (!(p instanceof WaitForState w) || w.watch() == null) return () -> {};
        return ctx.watches().listen(w.remote(), w.watch().command(), line -> {
            if (!heard.isDone() && w.watch().says().test(line)) {
                Try met = Try.met(w.wanted());
                try {
                    ctx.delay(Duration.ZERO).thenRun(() -> heard.complete(met));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    heard.complete(met); // the run is ending: its timer is gone, and nothing waits on this thread
                }
            }
        });
    }

    /** The try's answer, or what the watch says first (the try then ends in the background, unread). */
    private static CompletableFuture<Try> first(CompletableFuture<Try> asked, CompletableFuture<Try> heard) {
        return CompletableFuture.anyOf(asked, heard).thenApply(o -> (Try) o);
    }

    private static CompletableFuture<Void> ended(Poll p, RunContext ctx, PollLoop.Ended e, boolean heard) {
        if (e.stopped()) return CompletableFuture.completedFuture(null);
        if (e.last().fatal() != null) {
            ctx.ledger().record(p.target(), e.last().fatal());
            return CompletableFuture.completedFuture(null);
        }
        if (e.last().met()) {
            String by = heard && p instanceof WaitForState w ? "told by " + w.watch().name() + ", " : "";
            ctx.ledger().record(p.target(), Verdict.proceed(p.metState(), String.format("%s after %.1fs (%stry %d of %d)",
                    p.metText(), e.seconds(), by, e.attempts(), p.tries())));
            return CompletableFuture.completedFuture(null);
        }
        String why = p.failText(e.attempts(), e.seconds(), e.lastSeen());
        if (p.otherwise() == null) {
            ctx.ledger().record(p.target(), Verdict.fail(p.failState(), why));
            return CompletableFuture.completedFuture(null);
        }
        ctx.ledger().record(p.target(), Verdict.proceed(p.failState(), why));
        return ctx.exec(p.otherwise());
    }

    private static CompletableFuture<Try> ask(Poll p, RunContext ctx, Duration tryTimeout, AtomicLong since) {
        if (p instanceof WaitUntilUp w) {
            return ctx.answers(w.address(), w.tcpPort(), tryTimeout).thenApply(up -> up ? Try.met(null) : Try.notYet(null));
        }
        if (p instanceof org.ctys.spi.WaitUntilDown w) {
            return ctx.answers(w.address(), w.tcpPort(), tryTimeout).thenApply(up -> up ? Try.notYet(null) : Try.met(null));
        }
        if (p instanceof WaitForLogin w) return CompletableFuture.supplyAsync(() -> login(w, ctx, tryTimeout), ctx.blocking());
        WaitForState w = (WaitForState) p;
        return CompletableFuture.supplyAsync(() -> state(w, ctx, tryTimeout, since), ctx.blocking());
    }

    private static Try login(WaitForLogin w, RunContext ctx, Duration tryTimeout) {
        try {
            ctx.shells().login(w.remote(), tryTimeout);
            return Try.met(null);
        } catch (Shells.Failure f) {
            return f.kind() == Shells.Failure.Kind.REFUSED ? Try.fatal(f.verdict()) : Try.unanswered(f.getMessage());
        }
    }

    private static Try state(WaitForState w, RunContext ctx, Duration tryTimeout, AtomicLong since) {
        Output out;
        try {
            SharedQuestions.Answer a = ctx.questions().answer(w.remote(), w.command(), since.get(), w.interval().dividedBy(2),
                    tryTimeout, () -> gather(w, ctx, tryTimeout));
            since.set(a.askedAt() + 1);
            out = a.output();
        } catch (Shells.Failure f) {
            // a host key refused is a configuration matter; a host that does not answer right now may again
            return f.kind() == Shells.Failure.Kind.REFUSED ? Try.fatal(f.verdict()) : Try.unanswered("unknown (" + f.getMessage() + ")");
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
