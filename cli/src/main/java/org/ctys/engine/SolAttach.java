package org.ctys.engine;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.ctys.console.SerialConsole;
import org.ctys.engine.run.Bmcs;
import org.ctys.engine.run.Ledger;
import org.ctys.engine.run.Progress;
import org.ctys.exit.ExitStatus;
import org.ctys.grammar.Durations;
import org.ctys.inventory.SecretRef;
import org.ctys.spi.AttachSol;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Plan;
import org.ctys.spi.Result;
import org.ctys.spi.Verdict;
import org.ctys.transport.ipmi.BmcException;
import org.ctys.transport.ipmi.IpmiClient;
import org.ctys.transport.ipmi.SolConsole;

/**
 * A Serial-over-LAN console owns the terminal, as an interactive shell does: no progress while it
 * runs; leaving with {@code ~.} is success (exit 0). A console that could not be attached, or whose
 * BMC stopped answering, is reported like any failure.
 */
final class SolAttach {

    private SolAttach() {}

    static Report run(Plan plan, AttachSol step, Map<SecretRef, byte[]> secrets, GenericOptions options,
                      CompletableFuture<Void> interrupt, java.util.function.Supplier<ExitStatus> stopStatus,
                      Progress progress) {
        long deadline = options.timeout() == null ? Long.MAX_VALUE : System.nanoTime() + options.timeout().toNanos();
        byte[] password = step.bmc().password() == null ? null : secrets.get(step.bmc().password());
        byte[] bmcKey = step.bmc().bmcKey() == null ? null : secrets.get(step.bmc().bmcKey());
        Verdict failed;
        SerialConsole.Outcome outcome = null;
        try (IpmiClient client = new IpmiClient();
             SolConsole sol = client.sol(Bmcs.address(step.bmc()), password, bmcKey, step.force())) {
            outcome = SerialConsole.run(link(sol), step.target(), () -> interrupt.isDone() || System.nanoTime() > deadline);
            failed = outcome.end() == SerialConsole.End.LOST ? Verdict.fail("sol-lost", outcome.message()) : null;
        } catch (BmcException e) {
            failed = Bmcs.failure(e);
        } finally {
            secrets.values().forEach(b -> java.util.Arrays.fill(b, (byte) 0));
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

    private static org.ctys.console.ConsoleLink link(SolConsole sol) {
        return new org.ctys.console.ConsoleLink() {
            @Override
            public byte[] read() throws IOException {
                try {
                    return sol.read();
                } catch (BmcException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void write(byte[] data, int length) throws IOException {
                try {
                    sol.write(data, length);
                } catch (BmcException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void checkAlive() throws IOException {
                try {
                    sol.checkAlive();
                } catch (BmcException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
        };
    }
}
