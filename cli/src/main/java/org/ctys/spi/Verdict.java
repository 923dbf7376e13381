package org.ctys.spi;

/**
 * What a step's outcome means for its target.
 *
 * @param effect  go on with the target's next step, finish it successfully, fail it, or refuse it
 *                for a configuration reason (an unknown or changed host key: exit status 3)
 * @param state   short state word for the report (up, down, woken, ...)
 * @param message one line for the report
 */
public record Verdict(Effect effect, String state, String message) {

    public enum Effect { CONTINUE, DONE, FAIL, REFUSE }

    public static Verdict proceed(String state, String message) { return new Verdict(Effect.CONTINUE, state, message); }

    public static Verdict done(String state, String message) { return new Verdict(Effect.DONE, state, message); }

    public static Verdict fail(String state, String message) { return new Verdict(Effect.FAIL, state, message); }

    public static Verdict refuse(String state, String message) { return new Verdict(Effect.REFUSE, state, message); }
}
