package org.ctys.transport.ssh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The bound on connections not logged in, as sshd's MaxStartups draws it, and the tally of its log lines. */
class StartupsTest {
    private static final Startups.Limits SSHD = new Startups.Limits(10, 30, 100, Duration.ofSeconds(120));

    @Test
    void belowBeginNoneIsRefusedFromFullEveryOneIsBetweenTheShareRisesFromRateToAll() {
        assertThat(refusedOf100(SSHD, 0)).isZero();
        assertThat(refusedOf100(SSHD, 9)).isZero();
        assertThat(refusedOf100(SSHD, 10)).isEqualTo(30);
        assertThat(refusedOf100(SSHD, 55)).isEqualTo(65); // 30 + 70 * 45 / 90
        assertThat(refusedOf100(SSHD, 99)).isEqualTo(99);
        assertThat(refusedOf100(SSHD, 100)).isEqualTo(100);
        assertThat(refusedOf100(SSHD, 5000)).isEqualTo(100);
        Startups.Limits hard = new Startups.Limits(6, 0, 6, Duration.ofSeconds(1));
        assertThat(refusedOf100(hard, 5)).isZero();
        assertThat(refusedOf100(hard, 6)).isEqualTo(100);
    }

    @Test
    void theDaemonsNumbersLetOneUsersWholeAllowanceLogInAtOnce() {
        Startups.Limits d = Startups.Limits.DEFAULT;
        assertThat(d.startups()).isEqualTo("64:30:256");
        assertThat(refusedOf100(d, SshFrontDoor.MAX_CONNECTIONS_PER_USER - 1)).isZero();
        assertThat(d.grace()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void limitsThatCannotHoldAreRefused() {
        assertThatThrownBy(() -> new Startups.Limits(0, 30, 10, Duration.ofSeconds(1))).hasMessage("startups must be 1 <= begin <= full: 0:10");
        assertThatThrownBy(() -> new Startups.Limits(11, 30, 10, Duration.ofSeconds(1))).hasMessage("startups must be 1 <= begin <= full: 11:10");
        assertThatThrownBy(() -> new Startups.Limits(10, 101, 100, Duration.ofSeconds(1))).hasMessage("startups rate must be 0..100: 101");
        assertThatThrownBy(() -> new Startups.Limits(10, 30, 100, Duration.ZERO)).hasMessage("login grace time must be positive: PT0S");
    }

    @Test
    void aFloodOfEventsIsTheFirstLineThenOneCountingTheRest() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            List<String> lines = new CopyOnWriteArrayList<>();
            Tally t = new Tally("connection refused", "connections refused", timer, lines::add);
            for (int i = 1; i <= 500; i++) t.note("refused " + i);
            assertThat(lines).containsExactly("refused 1");
            assertThat(t.flush()).isTrue();
            assertThat(lines).containsExactly("refused 1", "499 more connections refused (a line a minute at most); the last: refused 500");
            // nothing counted: nothing said, and the next one is said at once
            assertThat(t.flush()).isFalse();
            t.note("refused 501");
            t.note("refused 502");
            assertThat(t.flush()).isTrue();
            assertThat(lines).containsExactly("refused 1", "499 more connections refused (a line a minute at most); the last: refused 500",
                    "refused 501", "1 more connection refused (a line a minute at most); the last: refused 502");
        } finally {
            timer.shutdownNow();
        }
    }

    /** Of 100 new connections with {@code waiting} waiting, one for each draw 0..99, how many are refused. */
    private static long refusedOf100(Startups.Limits limits, int waiting) {
        return IntStream.range(0, 100).filter(draw -> limits.refuses(waiting, draw)).count();
    }
}
