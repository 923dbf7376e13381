package org.ctys.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.ctys.console.ConsoleLink;
import org.ctys.console.SerialConsole;
import org.ctys.engine.run.Ledger;
import org.ctys.engine.run.Progress;
import org.ctys.exit.ExitStatus;
import org.ctys.grammar.Durations;
import org.ctys.inventory.SerialSettings;
import org.ctys.spi.AttachSerial;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Plan;
import org.ctys.spi.Result;
import org.ctys.spi.Verdict;
import org.ctys.transport.serial.LineSettings;
import org.ctys.transport.serial.SerialException;
import org.ctys.transport.serial.SerialLine;

/**
 * A local serial line owns the terminal as a Serial-over-LAN console does: leaving with {@code ~.}
 * is success (exit 0); a line that could not be opened, or that went away, is reported like any
 * failure (exit 1).
 */
final class SerialAttach {

    private SerialAttach() {}

    static Report run(Plan plan, AttachSerial step, GenericOptions options, CompletableFuture<Void> interrupt,
                      Supplier<ExitStatus> stopStatus, Progress progress) {
        long deadline = options.timeout() == null ? Long.MAX_VALUE : System.nanoTime() + options.timeout().toNanos();
        Verdict failed;
        SerialConsole.Outcome outcome = null;
        try (SerialLine line = SerialLine.open(step.line().device(), settings(step.line()))) {
            outcome = SerialConsole.run(link(line), step.target(), () -> interrupt.isDone() || System.nanoTime() > deadline);
            failed = outcome.end() == SerialConsole.End.LOST ? Verdict.fail("serial-lost", outcome.message()) : null;
        } catch (SerialException e) {
            failed = Verdict.fail("serial-open", e.getMessage());
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

    static LineSettings settings(SerialSettings s) {
        return new LineSettings(s.speed(), LineSettings.Parity.valueOf(s.parity().name()), s.dataBits(), s.stopBits(),
                LineSettings.Flow.valueOf(s.flow().name()));
    }

    /** The line as the console's far end; a break is the line's BREAK condition. */
    static ConsoleLink link(SerialLine line) {
        return new ConsoleLink() {
            @Override
            public byte[] read() throws java.io.IOException {
                try {
                    return line.read();
                } catch (SerialException e) {
                    throw new java.io.IOException(e.getMessage(), e);
                }
            }

            @Override
            public void write(byte[] data, int length) throws java.io.IOException {
                try {
                    line.write(data, length);
                } catch (SerialException e) {
                    throw new java.io.IOException(e.getMessage(), e);
                }
            }

            @Override
            public boolean sendBreak() throws java.io.IOException {
                try {
                    return line.sendBreak();
                } catch (SerialException e) {
                    throw new java.io.IOException(e.getMessage(), e);
                }
            }
        };
    }
}
