package org.ctys.spi;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.ctys.grammar.Durations;
import org.ctys.inventory.BmcSettings;

/**
 * A machine's BMC watchdog (IPMI Set/Reset/Get Watchdog Timer), armed for the time something runs
 * on the machine that nobody else can end: when it hangs, the BMC resets the machine at the end of
 * {@code countdown}, whether or not ctys is still there to do it.
 *
 * <p>{@code ARM} sets the timer (SMS/OS, a hard reset at expiry, no pre-timeout) and starts it.
 * {@code DISARM} with an {@link Ending} runs when that something has ended: it reads the timer,
 * says in the verdict when the watchdog has reset the machine, lets it run out first when the
 * ending says the time was up, then stops it and hands the verdict on. {@code DISARM} without an
 * ending is the last step of the target whatever happened before: it stops the timer when it is
 * still the one armed with {@code countdown}, and says nothing otherwise.
 *
 * @param countdown at most 6553.5 s (the timer counts 100 ms steps in 16 bits)
 * @param ending    for {@code DISARM} at the end of what was watched; null for {@code ARM} and the last-step {@code DISARM}
 */
public record BmcWatchdog(String target, BmcSettings bmc, Action action, Duration countdown, Ending ending) implements Step {
    /** The longest countdown a BMC watchdog takes. */
    public static final Duration MAX_COUNTDOWN = Duration.ofMillis(0xffffL * 100);

    public enum Action { ARM, DISARM }

    /**
     * How what was watched ended.
     *
     * @param verdict     its verdict, which the watchdog's part is added to
     * @param timeWasUp   it ended because its time ran out: the watchdog is due, and is let reset the machine
     * @param next        what follows, given the verdict as the watchdog made it
     */
    public record Ending(Verdict verdict, boolean timeWasUp, Function<Verdict, Step> next) { }

    public BmcWatchdog {
        if (countdown.isNegative() || countdown.compareTo(MAX_COUNTDOWN) > 0) {
            throw new IllegalArgumentException("a watchdog countdown of 0 to 6553.5s: " + countdown);
        }
        if (action == Action.ARM && ending != null) throw new IllegalArgumentException("an armed watchdog has no ending yet");
    }

    @Override
    public List<SecretUse> secrets() { return SecretUse.ofBmc(bmc, true); }

    /** No ipmitool command sets the timer's action and countdown; the request is named instead. */
    @Override
    public String describe() {
        String c = Durations.format(countdown);
        return switch (action) {
            case ARM -> "# Set Watchdog Timer (IPMI App 24h): SMS/OS, hard reset after " + c + ", no pre-timeout; "
                    + BmcPower.ipmitool(bmc) + " mc watchdog reset   # starts it";
            case DISARM -> ending == null
                    ? BmcPower.ipmitool(bmc) + " mc watchdog get; " + BmcPower.ipmitool(bmc)
                    + " mc watchdog off   # whatever happened before: only when it is still the one armed for " + c
                    : BmcPower.ipmitool(bmc) + " mc watchdog get   # has it reset the machine? " + (ending.timeWasUp()
                    ? "the time was up: let it do so, then " : "") + "# Set Watchdog Timer: stopped";
        };
    }
}
