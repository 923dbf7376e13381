package org.ctys.spi;

/**
 * What a step's outcome means for its target.
 *
 * @param effect  go on with the target's next step, finish it successfully, or fail it
 * @param state   short state word for the report (up, down, woken, ...)
 * @param message one line for the report
 */
public record Verdict(Effect effect, String state, String message) {

    public enum Effect { CONTINUE, DONE, FAIL }

    public static Verdict proceed(String state, String message) { return new Verdict(Effect.CONTINUE, state, message); }

    public static Verdict done(String state, String message) { return new Verdict(Effect.DONE, state, message); }

    public static Verdict fail(String state, String message) { return new Verdict(Effect.FAIL, state, message); }
}
