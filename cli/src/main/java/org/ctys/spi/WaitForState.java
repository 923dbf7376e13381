package org.ctys.spi;

import java.time.Duration;
import org.ctys.grammar.Durations;

/**
 * Run a command on a machine until what it prints says the wanted state holds (a guest "shut
 * off" by {@code virsh domstate}): a {@link Poll}, never a sleep.
 *
 * @param remote    null for this host, without SSH
 * @param wanted    the state's words for the report ("shut off")
 * @param metState  the report's state word once it holds ("shut-off")
 * @param failState the report's state word when it never held ("still-running")
 * @param otherwise what to do instead of failing when the wait runs out, or null
 * @param watch     a command whose lines can say the state holds before a try does, or null
 */
public record WaitForState(String target, Remote remote, String command, StateReader reader, String wanted, String metState,
                           String failState, int tries, Duration interval, Duration tryTimeout, Duration limit, Step otherwise,
                           StateWatch watch) implements Poll {

    /** A wait without a watch. */
    public WaitForState(String target, Remote remote, String command, StateReader reader, String wanted, String metState,
                        String failState, int tries, Duration interval, Duration tryTimeout, Duration limit, Step otherwise) {
        this(target, remote, command, reader, wanted, metState, failState, tries, interval, tryTimeout, limit, otherwise, null);
    }

    @Override
    public String metText() { return wanted; }

    @Override
    public String waitingState() { return "waiting"; }

    @Override
    public String waitingText() { return "not " + wanted + " yet"; }

    @Override
    public String failText(int attempts, double seconds, String last) {
        return String.format("not %s after %.1fs (%d tries %s apart)%s", wanted, seconds, attempts, Durations.format(interval),
                last == null ? "" : ": still " + last);
    }

    @Override
    public String describe() {
        String ask = (remote == null ? "sh -c " + ShellWords.quote(command) : remote.describe() + " " + ShellWords.quote(command));
        String bound = limit != null ? "at most " + Durations.format(limit) : "up to " + tries + " tries";
        String b = "until " + ask + " says " + wanted + ": every " + Durations.format(interval) + ", " + bound
                + (watch == null ? "" : ", or as soon as " + watch.name() + " there says so");
        return otherwise == null ? b : b + "; if not, then:";
    }

    @Override
    public java.util.List<Step> children() { return otherwise == null ? java.util.List.of() : java.util.List.of(otherwise); }
}
