package org.ctys.engine.steps;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.ctys.engine.run.CommandSink;
import org.ctys.engine.run.LineSplitter;
import org.ctys.engine.run.LocalCommand;
import org.ctys.engine.run.Shells;
import org.ctys.spi.Captured;
import org.ctys.spi.Follow;
import org.ctys.spi.Output;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;
import org.ctys.transport.ssh.SshTransport;

/**
 * Runs a command that reports changes line by line and hands each line to the plugin's reader as it
 * arrives: progress goes to the ledger at once, output the reader hands back goes where a command's
 * output goes (streamed or kept for the report). When the command ends the reader says what follows.
 */
public final class FollowExecutor implements StepExecutor<Follow> {
    /** A line longer than this is cut there (the rest of it dropped): the server's lines are short but for output. */
    static final int LINE_CAP = 1024 * 1024;
    /** Error output kept for the reader's message. */
    static final int ERROR_CAP = 16 * 1024;

    @Override
    public void prepare(List<? extends Follow> steps) {
        if (steps.stream().anyMatch(f -> f.remote() != null)) SshTransport.prepare();
    }

    @Override
    public CompletableFuture<Void> run(Follow f, RunContext ctx) {
        if (ctx.ledger().isFinished(f.target())) return CompletableFuture.completedFuture(null);
        return CompletableFuture.supplyAsync(() -> follow(f, ctx), ctx.blocking()).thenCompose(next -> next == null
                ? CompletableFuture.completedFuture(null) : ctx.exec(next));
    }

    private static Step follow(Follow f, RunContext ctx) {
        ctx.ledger().begin(f.target(), "waiting", f.describe());
        CommandSink sink = ctx.sink(f.target(), true);
        boolean[] printed = {false};
        Integer[] outputExit = {null};
        LineSplitter lines = new LineSplitter(LINE_CAP, line -> {
            Follow.Seen seen = f.reader().line(line);
            if (seen.progress() != null && seen.progress().effect() == Verdict.Effect.CONTINUE) {
                ctx.ledger().record(f.target(), seen.progress());
            }
            if (seen.outputExit() != null) outputExit[0] = seen.outputExit();
            if (seen.output() != null && seen.output().length > 0) {
                try {
                    sink.out().write(seen.output());
                    sink.out().flush();
                    printed[0] = true;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        Gather.Capped err = new Gather.Capped(ERROR_CAP);
        Output ended;
        try {
            ended = f.remote() == null ? LocalCommand.run(f.command(), f.timeout(), null, lines, err)
                    : ctx.shells().exec(f.remote(), f.command(), f.timeout(), null, lines, err);
        } catch (Shells.Failure failure) {
            lines.end();
            finish(f, ctx, sink, printed[0], null, null);
            Step instead = failure.kind() == Shells.Failure.Kind.REFUSED ? null : f.reader().unreached(failure.verdict());
            if (instead == null) ctx.ledger().record(f.target(), failure.verdict());
            return instead;
        }
        lines.end();
        finish(f, ctx, sink, printed[0], outputExit[0] != null ? outputExit[0] : ended.exitStatus(),
                outputExit[0] != null ? null : ended.exitSignal());
        if (ctx.stopped()) return null;
        Captured none = Captured.of(new byte[0]);
        return f.reader().end(new Output(none, err.captured(), ended.exitStatus(), ended.exitSignal()));
    }

    /** The output handed over is the target's, kept for the report once the command has ended. */
    private static void finish(Follow f, RunContext ctx, CommandSink sink, boolean printed, Integer exit, String signal) {
        Output kept = sink.finish(exit, signal);
        if (printed) ctx.ledger().output(f.target(), kept);
    }
}
