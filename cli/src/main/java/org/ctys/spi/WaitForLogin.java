package org.ctys.spi;

import java.time.Duration;
import org.ctys.grammar.Durations;

/**
 * Wait until an SSH login to a machine succeeds (SSHPING): at most {@code tries} times,
 * {@code interval} apart, each try bounded by {@code tryTimeout}. Never succeeding fails the target;
 * a refused host key fails it at once (that is a configuration problem, not a slow boot).
 */
public record WaitForLogin(String target, Remote remote, int tries, Duration interval, Duration tryTimeout)
        implements Poll {

    @Override
    public String metState() { return "ssh"; }

    @Override
    public String metText() { return "accepts SSH logins"; }

    @Override
    public String waitingState() { return "waiting-ssh"; }

    @Override
    public String waitingText() { return "no SSH login yet"; }

    @Override
    public String failState() { return "no-ssh"; }

    @Override
    public String failText(int attempts, double seconds, String last) {
        return "no SSH login after " + attempts + " tries " + Durations.format(interval) + " apart: " + last;
    }

    @Override
    public String describe() {
        return "wait until " + remote.describe() + " true succeeds: up to " + tries + " tries, "
                + Durations.format(interval) + " apart";
    }
}
