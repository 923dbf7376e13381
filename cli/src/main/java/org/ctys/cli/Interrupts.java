package org.ctys.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.ctys.exit.ExitStatus;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT (Ctrl-C, or kill -INT), SIGHUP (the terminal went away) and SIGTERM (kill, systemd,
 * a shutdown) into a clean stop while a plan runs: the engine is asked to stop, children are
 * stopped, sessions closed, what was done is reported, and the command ends with 128 + the
 * signal's number instead of the JVM dying mid-run.
 */
final class Interrupts {
    /** Each signal handled, with the exit status it ends the command with. */
    private static final Map<String, ExitStatus> SIGNALS = new LinkedHashMap<>();

    static {
        SIGNALS.put("INT", ExitStatus.INTERRUPTED);
        SIGNALS.put("HUP", ExitStatus.HANGUP);
        SIGNALS.put("TERM", ExitStatus.TERMINATED);
    }

    private Interrupts() {}

    static void during(Consumer<ExitStatus> onSignal, Runnable body) {
        Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
        for (Map.Entry<String, ExitStatus> e : SIGNALS.entrySet()) {
            Signal signal = new Signal(e.getKey());
            ExitStatus status = e.getValue();
            try {
                previous.put(signal, Signal.handle(signal, s -> onSignal.accept(status)));
            } catch (IllegalArgumentException ex) {
                // the JVM keeps this one (java -Xrs): its own handling stays
            }
        }
        try {
            body.run();
        } finally {
            previous.forEach(Signal::handle);
        }
    }
}
