package org.ctys.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.ctys.console.ConsoleSession;
import org.ctys.console.SerialConsole;
import org.ctys.console.SessionLog;
import org.ctys.engine.run.Children;
import org.ctys.engine.run.Ledger;
import org.ctys.engine.run.Progress;
import org.ctys.engine.run.Shells;
import org.ctys.exit.ExitStatus;
import org.ctys.grammar.Durations;
import org.ctys.inventory.SecretRef;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Plan;
import org.ctys.spi.Result;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;

/**
 * The engine's one way of running a step that owns the terminal, whatever its kind: its opener
 * ({@link ConsoleOpeners}) opens the far end, {@link ConsoleSession} runs it on the terminal, and
 * this class bounds it (the overall --timeout, an interrupt) and says how it ended. No progress
 * while it runs. A session that ends as its far end or the user meant (a shell's exit status, a
 * console left with {@code ~.}, piped input ended) ends the command with that status and no
 * report; one that could not be opened or was lost, or that was stopped, is reported like any failure.
 */
final class Attach {
    private static final ConsoleOpeners OPENERS = ConsoleOpeners.standard();

    /** What of the engine's run an attached console uses. */
    record Run(GenericOptions options, Progress progress, CompletableFuture<Void> interrupt, Supplier<ExitStatus> stopStatus,
               Runnable onInterrupt, Supplier<Shells> shells, Runnable closeShells, Path log, java.io.InputStream input, Beside beside,
               java.time.Duration timeLeft) {
    }

    /**
     * A console opened beside other work: the work starts once the far end is open, and a console
     * ctys relays is left once {@code finished} gives why (a process handed the terminal stays
     * until the user leaves it; the work goes on either way).
     */
    record Beside(Runnable onOpen, Supplier<String> finished) {
    }

    private final Run run;
    /** Set once: what stopped the session (TIMEOUT or a signal's status). */
    private final AtomicReference<ExitStatus> stopped = new AtomicReference<>();
    private volatile Process handed;
    private volatile boolean opening = true;

    private Attach(Run run) { this.run = run; }

    /** Whether {@code step} owns the terminal in a way --log can record. */
    @SuppressWarnings("unchecked")
    static <S extends Step> boolean records(S step) {
        return ((ConsoleOpener<S>) OPENERS.of(step.getClass())).records(step);
    }

    /** Runs {@code step} to its end; its secrets are wiped once its far end is open. */
    static <S extends Step> Report run(Run run, Plan plan, S step, Map<SecretRef, byte[]> secrets) {
        return new Attach(run).attach(plan, step, secrets);
    }

    @SuppressWarnings("unchecked")
    private <S extends Step> Report attach(Plan plan, S step, Map<SecretRef, byte[]> secrets) {
        ConsoleOpener<S> opener = (ConsoleOpener<S>) OPENERS.of(step.getClass());
        CompletableFuture<Void> timeout = new CompletableFuture<>();
        // what is left of the command's --timeout: a console after a power-on has the rest of it, not all of it again
        if (run.timeLeft() != null) {
            timeout.completeOnTimeout(null, run.timeLeft().toMillis(), TimeUnit.MILLISECONDS);
        }
        timeout.thenRun(() -> stop(ExitStatus.TIMEOUT));
        run.interrupt().thenRun(() -> stop(run.stopStatus().get()));
        Verdict failed = null;
        String left = "nothing was attached";
        SerialConsole.Outcome outcome = null;
        int handedExit = 0;
        try (SessionLog log = openLog(); ConsoleSession session = ConsoleSession.open(opener.terminal(step), run.onInterrupt(), run.input())) {
            ConsoleOpener.Opened opened = null;
            try {
                opened = opener.open(step, new ConsoleOpener.Context(secrets, run.shells(), session.pty()));
            } catch (ConsoleOpener.Failure f) {
                failed = f.verdict();
            } finally {
                secrets.values().forEach(b -> java.util.Arrays.fill(b, (byte) 0));
            }
            if (opened != null) {
                left = opened.leftText();
                try {
                    if (run.beside() != null && stopped.get() == null) run.beside().onOpen().run();
                    if (opened.process() != null) {
                        handedExit = waitFor(opened.process());
                    } else {
                        opening = false;
                        Supplier<String> finished = run.beside() == null ? () -> null : run.beside().finished();
                        if (stopped.get() == null) outcome = session.run(opened.link(), opened.what(), () -> stopped.get() != null, finished, log);
                        if (outcome != null && outcome.end() == SerialConsole.End.LOST) {
                            failed = Verdict.fail(opened.lostState(), outcome.message());
                        } else if (outcome != null && outcome.end() == SerialConsole.End.ENDED) {
                            failed = opener.ended(step, opened.link(), outcome.status());
                        }
                    }
                } finally {
                    close(opened.resources());
                }
            }
        } catch (IOException e) {
            failed = Verdict.fail("log", "--log " + run.log() + " cannot be opened: " + e.getMessage());
        } finally {
            timeout.cancel(false);
            run.closeShells().run();
        }
        ExitStatus stop = stopped.get();
        if (stop == null && failed == null) {
            return Report.shell(plan.title(), outcome == null ? handedExit : outcome.end() == SerialConsole.End.ENDED ? outcome.status() : 0);
        }
        Ledger ledger = new Ledger(plan.targets(), run.progress());
        if (stop == ExitStatus.TIMEOUT) {
            ledger.stopUnfinished(Result.Status.TIMEOUT, "the overall --timeout of " + Durations.format(run.options().timeout())
                    + " ran out; " + left);
        } else if (stop != null) {
            ledger.stopUnfinished(Result.Status.INTERRUPTED, Engine.stopText(stop) + "; " + left);
        } else {
            ledger.record(opener.target(step), failed);
        }
        run.progress().finish();
        List<Result> results = ledger.results();
        return new Report(plan.title(), results, stop != null ? stop : Report.statusOf(results), null);
    }

    /** The --timeout ran out or a signal came: the session sees it at once, a far end still opening is let go. */
    private void stop(ExitStatus why) {
        if (!stopped.compareAndSet(null, why)) return;
        Process p = handed;
        if (p != null) Children.stop(p);
        else if (opening) run.closeShells().run();
    }

    /** The exit status of a process given the terminal; it is stopped (and waited for) when the session is. */
    private int waitFor(Process process) {
        handed = process;
        if (stopped.get() != null) Children.stop(process);
        try {
            return process.onExit().get().exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(run.stopStatus().get());
            return -1;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for " + process, e.getCause());
        }
    }

    private SessionLog openLog() throws IOException { return run.log() == null ? null : SessionLog.append(run.log()); }

    private static void close(AutoCloseable resources) {
        if (resources == null) return;
        try {
            resources.close();
        } catch (Exception e) {
            // the session has ended; what it held is let go as far as it goes
        }
    }
}
