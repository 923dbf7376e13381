package org.ctys.spi;

import java.util.List;

/**
 * One node of a {@link Plan}: a value that says what is to be done, never how. The engine runs
 * it through the transports; {@code --dry-run} prints {@link #describe()}.
 */
public sealed interface Step permits Step.Sequence, Step.Parallel, MagicPackets, Probe, Note, RunCommand, OpenShell,
        OpenWindow, BmcPower, AttachSol, Poll, Discover, After, Delay, AttachGuestConsole, ViewVnc, AttachSerial,
        AttachServedConsole, Submit, Follow, BootFlagsCheck, Watching, BmcWatchdog {

    /** Reads like the command a person would type. */
    String describe();

    /**
     * The secrets this step needs; the engine reads them all before the run sends anything.
     * Structural steps (sequence, parallel) list none of their own.
     */
    default List<SecretUse> secrets() { return List.of(); }

    /** The target this step reports for; null for structural steps and steps of several targets. */
    default String target() { return null; }

    /** The machine this step logs in to over SSH; null when it logs in nowhere (the engine checks its SSH configuration first). */
    default Remote remote() { return null; }

    /** The steps this one holds: what a dry run prints under it and whose secrets are read before the run. */
    default List<Step> children() { return List.of(); }

    /**
     * The step takes over the user's terminal (a shell, a console) until it ends: it is the last
     * step of its plan, the steps before it report as progress only, and its end is the command's.
     */
    default boolean ownsTheTerminal() { return false; }

    /** Children, one after the other; a failed target's remaining steps are skipped. */
    record Sequence(List<Step> steps) implements Step {
        public Sequence { steps = List.copyOf(steps); }

        @Override
        public String describe() { return "in order:"; }

        @Override
        public List<Step> children() { return steps; }
    }

    /** Children at the same time, at most {@code bound} at once (0: the command's --parallel). */
    record Parallel(int bound, List<Step> steps) implements Step {
        public Parallel { steps = List.copyOf(steps); }

        @Override
        public String describe() {
            return "at the same time" + (bound > 0 ? " (at most " + bound + " at once)" : "") + ":";
        }

        @Override
        public List<Step> children() { return steps; }
    }
}
