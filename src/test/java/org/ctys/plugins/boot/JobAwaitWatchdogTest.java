package org.ctys.plugins.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.ctys.inventory.BmcSettings;
import org.ctys.spi.BmcWatchdog;
import org.ctys.spi.BootFlagsCheck;
import org.ctys.spi.Output;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;
import org.junit.jupiter.api.Test;

/** With WATCHDOG, every end of a job goes through the watchdog's stop before the boot flags; only an expiry lets it fire. */
class JobAwaitWatchdogTest {
    private static final BmcSettings BMC = new BmcSettings("10.0.1.7", 623, "admin", null, 3, false);

    private static JobAwait await() { return new JobAwait("lab07", "ABCDEFGHJKMN", BMC, Duration.ofMinutes(10), true); }

    private static BmcWatchdog.Ending ending(Step s) {
        assertThat(s).isInstanceOf(BmcWatchdog.class);
        BmcWatchdog w = (BmcWatchdog) s;
        assertThat(w.action()).isEqualTo(BmcWatchdog.Action.DISARM);
        assertThat(w.countdown()).isEqualTo(Duration.ofMinutes(10));
        Step next = w.ending().next().apply(Verdict.fail("watchdog-reset", "x"));
        assertThat(next).isInstanceOf(BootFlagsCheck.class);
        assertThat(((BootFlagsCheck) next).then().message()).isEqualTo("x");
        return w.ending();
    }

    @Test
    void anExpiredJobLetsTheWatchdogFire() {
        JobAwait a = await();
        a.line("{\"job\":\"ABCDEFGHJKMN\",\"state\":\"expired\"}");
        BmcWatchdog.Ending e = ending(a.end(new Output(new byte[0], new byte[0], 0, null)));
        assertThat(e.timeWasUp()).isTrue();
        assertThat(e.verdict().state()).isEqualTo("expired");
    }

    @Test
    void aResultACancelAndALostWaitStopItAtOnce() {
        JobAwait done = await();
        done.line("{\"job\":\"ABCDEFGHJKMN\",\"state\":\"done\",\"exit\":0}");
        BmcWatchdog.Ending d = ending(done.end(new Output(new byte[0], new byte[0], 0, null)));
        assertThat(d.timeWasUp()).isFalse();
        assertThat(d.verdict().effect()).isEqualTo(Verdict.Effect.DONE);

        JobAwait cancelled = await();
        cancelled.line("{\"job\":\"ABCDEFGHJKMN\",\"state\":\"cancelled\"}");
        assertThat(ending(cancelled.end(new Output(new byte[0], new byte[0], 0, null))).timeWasUp()).isFalse();

        assertThat(ending(await().unreached(Verdict.fail("ssh-failed", "connection lost"))).timeWasUp()).isFalse();
    }

    @Test
    void withoutTheWatchdogTheBootFlagsFollowDirectly() {
        JobAwait plain = new JobAwait("lab07", "ABCDEFGHJKMN", BMC, Duration.ofMinutes(10));
        plain.line("{\"job\":\"ABCDEFGHJKMN\",\"state\":\"expired\"}");
        assertThat(plain.end(new Output(new byte[0], new byte[0], 0, null))).isInstanceOf(BootFlagsCheck.class);
    }
}
