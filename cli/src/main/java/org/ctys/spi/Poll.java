package org.ctys.spi;

import java.time.Duration;

/**
 * Asking again until a condition holds: at most {@link #tries()} tries starting
 * {@link #interval()} apart, each bounded by {@link #tryTimeout()}, the whole wait by
 * {@link #limit()} when there is one. Every wait of ctys is one of these, run by one loop in the
 * engine; the kinds differ only in what they ask (ping, an SSH login, a state a command prints).
 * A condition that never holds fails the target, unless {@link #otherwise()} says what to do then.
 */
public sealed interface Poll extends Step permits WaitUntilUp, WaitUntilDown, WaitForLogin, WaitForState {

    String target();

    int tries();

    Duration interval();

    Duration tryTimeout();

    /** The bound of the whole wait, or null: only the tries bound it. */
    default Duration limit() { return null; }

    /** The state word once the condition holds ("up", "ssh", "shut-off"). */
    String metState();

    /** What holds, for "… after 3.1s (try 2 of 60)". */
    String metText();

    /** The state word while waiting. */
    String waitingState();

    /** What does not hold yet, for "… (try 2 of 60)". */
    String waitingText();

    /** The state word of a wait that ran out. */
    String failState();

    /**
     * The report's line for a wait that ran out.
     *
     * @param last what the last try saw (a failure's message, a state), or null
     */
    String failText(int attempts, double seconds, String last);

    /** What runs, for the same target, when the wait runs out instead of failing it (FORCE: destroy); null: fail. */
    default Step otherwise() { return null; }
}
