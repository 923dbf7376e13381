package org.ctys.transport.ipmi;

import java.time.Duration;

/**
 * The BMC watchdog timer as Get Watchdog Timer reads it (IPMI v2.0, 27.7), and the requests that
 * set it (27.6): ctys uses it as "SMS/OS" with a hard reset at expiry and no pre-timeout, so that a
 * machine that hangs is reset by its BMC even when nobody is left to do it.
 *
 * @param use      the timer use (data 1 bits 2:0): 4 is SMS/OS
 * @param running  data 1 bit 6: the timer is started (some BMCs, ipmi_sim among them, answer the bit as it was last set)
 * @param action   the timeout action (data 2 bits 2:0): 0 none, 1 hard reset, 2 power down, 3 power cycle
 * @param expired  the timer use expiration flags (data 4): bit n set when a timer of use n has expired since they were cleared
 * @param initial  the initial countdown, in 100 ms
 * @param present  the present countdown, in 100 ms; -1 when the BMC did not send it (ipmi_sim answers it short)
 */
public record Watchdog(int use, boolean running, int action, int expired, int initial, int present) {
    public static final int USE_SMS_OS = 4;
    public static final int ACTION_HARD_RESET = 1;
    /** The longest countdown: 0xffff times 100 ms. */
    public static final Duration MAX_COUNTDOWN = Duration.ofMillis(0xffffL * 100);
    private static final int DONT_STOP = 0x40;

    /** Whether the SMS/OS timer has expired since its flag was last cleared: the BMC took its action. */
    public boolean firedAsSmsOs() { return (expired & (1 << USE_SMS_OS)) != 0; }

    /** "running, hard reset in 598.3s of 600.0s", as a report says it. */
    public String text() {
        String what = switch (action) {
            case 0 -> "no action";
            case ACTION_HARD_RESET -> "hard reset";
            case 2 -> "power down";
            case 3 -> "power cycle";
            default -> "action " + action;
        };
        return (running ? "running, " : "stopped, ") + what + " after " + tenths(initial)
                + (present < 0 ? "" : " (" + tenths(present) + " left)") + (firedAsSmsOs() ? ", expired" : "");
    }

    private static String tenths(int t) { return t / 10 + "." + t % 10 + "s"; }

    /** The countdown in 100 ms units, rounded up; a duration beyond {@link #MAX_COUNTDOWN} is a programming error. */
    static int countdown(Duration d) {
        if (d.isNegative() || d.compareTo(MAX_COUNTDOWN) > 0) {
            throw new IllegalArgumentException("a watchdog countdown must be 0 to 6553.5s: " + d);
        }
        return (int) ((d.toMillis() + 99) / 100);
    }

    /**
     * Set Watchdog Timer's request data (table 27-6) for ctys's use: SMS/OS, logged, a hard reset at
     * expiry, no pre-timeout, the SMS/OS expiration flag cleared, {@code countdown}; Reset Watchdog Timer then
     * starts it. Bit 6 (don't stop) is set: a timer already running goes on with these values rather
     * than stopping between the two requests, and BMCs that answer the bit as set (ipmi_sim) say "running".
     */
    static byte[] arm(Duration countdown) {
        int c = countdown(countdown);
        return new byte[] {USE_SMS_OS | DONT_STOP, ACTION_HARD_RESET, 0x00, 1 << USE_SMS_OS, (byte) (c & 0xff), (byte) (c >> 8)};
    }

    /**
     * Set Watchdog Timer's request data that stops the timer: use SMS/OS, no action, the SMS/OS
     * expiration flag cleared (it has been read before), the countdown left as {@code countdown}.
     */
    static byte[] disarm(int countdown) {
        return new byte[] {USE_SMS_OS, 0x00, 0x00, 1 << USE_SMS_OS, (byte) (countdown & 0xff), (byte) (countdown >> 8 & 0xff)};
    }

    /**
     * Reads Get Watchdog Timer's response data (after the completion code): use, actions,
     * pre-timeout interval, expiration flags, initial countdown (LS, MS), present countdown (LS, MS).
     *
     * @throws IllegalArgumentException when it is shorter than the six bytes up to the initial countdown
     */
    static Watchdog parse(byte[] data) {
        if (data.length < 6) throw new IllegalArgumentException("a watchdog answer of " + data.length + " bytes, 8 expected");
        int present = data.length >= 8 ? (data[6] & 0xff) | (data[7] & 0xff) << 8 : -1;
        return new Watchdog(data[0] & 0x07, (data[0] & DONT_STOP) != 0, data[1] & 0x07, data[3] & 0x3e,
                (data[4] & 0xff) | (data[5] & 0xff) << 8, present);
    }
}
