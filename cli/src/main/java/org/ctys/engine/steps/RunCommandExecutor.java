package org.ctys.engine.steps;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.ctys.engine.run.CommandSink;
import org.ctys.engine.run.Ledger;
import org.ctys.engine.run.LocalCommand;
import org.ctys.engine.run.Shells;
import org.ctys.spi.Output;
import org.ctys.spi.RunCommand;
import org.ctys.spi.Verdict;
import org.ctys.transport.ssh.SshTransport;

/** Runs a command on this host or over SSH; its output is the result unless it is a means to an end. */
public final class RunCommandExecutor implements StepExecutor<RunCommand> {

    /** The SSH client is built ahead when a command runs on another machine. */
    @Override
    public void prepare(List<? extends RunCommand> steps) {
        if (steps.stream().anyMatch(c -> c.remote() != null)) SshTransport.prepare();
    }

    @Override
    public CompletableFuture<Void> run(RunCommand c, RunContext ctx) {
        Ledger ledger = ctx.ledger();
        if (ledger.isFinished(c.target())) return CompletableFuture.completedFuture(null);
        return CompletableFuture.runAsync(() -> {
            ledger.begin(c.target(), "running", c.describe());
            // a command run as a means to an end (from a gateway) is never streamed: its output is not the result
            CommandSink sink = ctx.sink(c.target(), c.ok() == null);
            try {
                // no remote: this host, without SSH
                Output ended = c.remote() == null ? LocalCommand.run(c.command(), c.timeout(), sink.out(), sink.err())
                        : ctx.shells().exec(c.remote(), c.command(), c.timeout(), sink.out(), sink.err());
                Output out = sink.finish(ended.exitStatus(), ended.exitSignal());
                if (c.ok() == null) ledger.output(c.target(), out);
                Verdict ok = c.ok() != null ? c.ok() : Verdict.done("ran", out.exitText() + sink.note());
                ledger.record(c.target(), out.succeeded() ? ok : Verdict.fail("ran", out.exitText()
                        + errorLines(out.err()) + sink.note()));
            } catch (Shells.Failure f) {
                sink.finish(null, null);
                ledger.record(c.target(), f.verdict());
            }
        }, ctx.blocking());
    }

    /** Lines of error output a failure message quotes: a tool's first line often only names the failure, the next its reason. */
    private static final int QUOTED_LINES = 3;

    /** ": <the first lines of the error output, joined by ' | '>" for a failure message, or nothing. */
    private static String errorLines(org.ctys.spi.Captured stderr) {
        String s = new String(stderr.head(4096), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) return "";
        java.util.List<String> lines = s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return ": " + String.join(" | ", lines.subList(0, Math.min(QUOTED_LINES, lines.size())))
                + (lines.size() > QUOTED_LINES ? " | ..." : "");
    }
}
