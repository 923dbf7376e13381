package org.ctys.spi;

import java.time.Duration;
import org.ctys.grammar.Durations;

/**
 * Wait until an SSH login to a machine succeeds (SSHPING): at most {@code tries} times,
 * {@code interval} apart, each try bounded by {@code tryTimeout}. Never succeeding fails the target;
 * a refused host key fails it at once (that is a configuration problem, not a slow boot).
 */
public record WaitForLogin(String target, Remote remote, int tries, Duration interval, Duration tryTimeout)
        implements Step {

    @Override
    public String describe() {
        return "wait until " + remote.describe() + " true succeeds: up to " + tries + " tries, "
                + Durations.format(interval) + " apart";
    }
}
