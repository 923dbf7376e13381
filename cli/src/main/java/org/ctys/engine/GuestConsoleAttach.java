package org.ctys.engine;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.ctys.console.ConsoleLink;
import org.ctys.console.SerialConsole;
import org.ctys.engine.run.Children;
import org.ctys.engine.run.Ledger;
import org.ctys.engine.run.Progress;
import org.ctys.exit.ExitStatus;
import org.ctys.grammar.Durations;
import org.ctys.spi.AttachGuestConsole;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Plan;
import org.ctys.spi.Result;
import org.ctys.spi.Verdict;
import org.ctys.transport.ssh.ConsoleChannel;
import org.ctys.transport.ssh.SshFailure;
import org.ctys.transport.ssh.SshTransport;

/**
 * A guest's hypervisor console ({@code virsh console}, {@code xl console}) owns the terminal as a
 * Serial-over-LAN console does ({@link SolAttach}): the command runs on the guest's host on a pseudo
 * terminal over SSH, bridged by {@link SerialConsole}. {@code ~.} leaves (exit 0) and closes the
 * channel, so the hypervisor's own escape is never needed. A Ctrl-] typed by the user is passed on:
 * the hypervisor's console ends on it, and a console command that ends with status 0 is the
 * console ending as asked (exit 0). One that ends otherwise (the guest is not running, another
 * client holds the console) or whose connection breaks is reported like any failure (exit 1).
 */
final class GuestConsoleAttach {
    /** How long the console command may take to start on its host, once logged in. */
    private static final java.time.Duration START = java.time.Duration.ofSeconds(30);

    private GuestConsoleAttach() {}

    static Report run(Plan plan, AttachGuestConsole step, GenericOptions options, CompletableFuture<Void> interrupt,
                      java.util.function.Supplier<ExitStatus> stopStatus, Progress progress) {
        if (step.remote() == null) return local(plan, step, interrupt, progress);
        long deadline = options.timeout() == null ? Long.MAX_VALUE : System.nanoTime() + options.timeout().toNanos();
        Verdict failed = null;
        SerialConsole.Outcome outcome = null;
        AtomicReference<ConsoleChannel.Ended> ended = new AtomicReference<>();
        try (SshTransport ssh = SshShells.transport(options);
             ConsoleChannel channel = ssh.console(SshShells.target(step.remote()), step.command(), term(), 80, 24,
                     SshShells.CONNECT.plus(SshShells.AUTH).plus(START))) {
            outcome = SerialConsole.run(link(channel, ended), step.target(),
                    () -> interrupt.isDone() || System.nanoTime() > deadline);
        } catch (SshFailure f) {
            failed = SshShells.failure(f).verdict();
        }
        if (failed == null && outcome.end() == SerialConsole.End.LOST) {
            ConsoleChannel.Ended end = ended.get();
            if (end != null && Integer.valueOf(0).equals(end.exitStatus())) return Report.shell(plan.title(), 0);
            failed = Verdict.fail("console-ended", outcome.message());
        }
        if (failed == null && outcome.end() != SerialConsole.End.STOPPED) return Report.shell(plan.title(), 0);
        Ledger ledger = new Ledger(plan.targets(), progress);
        ExitStatus stopped = null;
        if (failed != null) {
            ledger.record(step.target(), failed);
        } else if (interrupt.isDone()) {
            stopped = stopStatus.get();
            ledger.stopUnfinished(Result.Status.INTERRUPTED, Engine.stopText(stopped) + "; the console was left");
        } else {
            ledger.stopUnfinished(Result.Status.TIMEOUT, "the overall --timeout of " + Durations.format(options.timeout())
                    + " ran out; the console was left");
            stopped = ExitStatus.TIMEOUT;
        }
        progress.finish();
        List<Result> results = ledger.results();
        return new Report(plan.title(), results, stopped != null ? stopped : Report.statusOf(results), null);
    }

    /** TERM for the pseudo terminal: the local one's, as ssh passes it. */
    private static String term() {
        String t = System.getenv("TERM");
        return t == null || t.isBlank() ? "xterm" : t;
    }

    private static ConsoleLink link(ConsoleChannel channel, AtomicReference<ConsoleChannel.Ended> ended) {
        return new ConsoleLink() {
            @Override
            public byte[] read() throws IOException {
                try {
                    return channel.read();
                } catch (ConsoleChannel.Ended e) {
                    ended.compareAndSet(null, e);
                    throw e;
                }
            }

            @Override
            public void write(byte[] data, int length) throws IOException { channel.write(data, length); }

            @Override
            public void resize(int columns, int rows) { channel.resize(columns, rows); }
        };
    }

    /**
     * The console of a guest on this host: the hypervisor's command on this terminal, without SSH
     * and without ctys's escapes (its own, Ctrl-], leaves). Its exit status is the command's.
     */
    private static Report local(Plan plan, AttachGuestConsole step, CompletableFuture<Void> interrupt, Progress progress) {
        Process p;
        try {
            p = new ProcessBuilder("/bin/sh", "-c", step.command()).inheritIO().start();
        } catch (IOException e) {
            Ledger ledger = new Ledger(plan.targets(), progress);
            ledger.record(step.target(), Verdict.fail("console-ended", "cannot start /bin/sh for the console: " + e.getMessage()));
            progress.finish();
            return new Report(plan.title(), ledger.results(), ExitStatus.FAILED, null);
        }
        interrupt.thenRun(() -> Children.stop(p));
        try {
            return Report.shell(plan.title(), p.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Children.stop(p);
            return Report.shell(plan.title(), ExitStatus.INTERRUPTED.code());
        }
    }
}
