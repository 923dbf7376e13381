package org.ctys.cli;

import sun.misc.Signal;

/**
 * Turns Ctrl-C into a clean stop while a plan runs: the engine is asked to stop, reports what
 * was done, and the command ends with status 130 instead of the JVM dying mid-report.
 */
final class Interrupts {

    private Interrupts() {}

    static void during(Runnable onInterrupt, Runnable body) {
        Signal sigint = new Signal("INT");
        var previous = Signal.handle(sigint, s -> onInterrupt.run());
        try {
            body.run();
        } finally {
            Signal.handle(sigint, previous);
        }
    }
}
