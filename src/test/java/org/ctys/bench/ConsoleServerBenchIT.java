package org.ctys.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's harness on a few consoles for a few seconds, against the real servers: what a
 * server logged is compared byte for byte with what the generator sent (a harness that miscounts
 * throws), and every probe reaches the watcher, so the figures the benchmark prints measure the
 * same work for every server.
 */
class ConsoleServerBenchIT {
    private static final int CONSOLES = 4;
    private static final int SECONDS = 3;
    private static final int RATE = 2000;

    @Test
    void conmandLogsEveryByteSentAndItsWatcherSeesEveryProbe() throws Exception {
        checkOneRun(ConsoleServerBench.CONMAND);
    }

    @Test
    void ctysConsoledLogsEveryByteSentAndItsWatcherSeesEveryProbe() throws Exception {
        checkOneRun(ConsoleServerBench.CTYS);
    }

    private static void checkOneRun(String server) throws Exception {
        List<ConsoleServerBench.Result> results = ConsoleServerBench.bench(CONSOLES, Duration.ofSeconds(1), SECONDS, RATE, List.of(server));

        assertThat(results).hasSize(1);
        ConsoleServerBench.Result r = results.get(0);
        // every console at its rate, and a probe line every PROBE_EVERY on the first
        long lines = (long) CONSOLES * SECONDS * RATE / Generator.LINE_BYTES;
        assertThat(r.sentBytes()).isGreaterThanOrEqualTo((lines - CONSOLES) * Generator.LINE_BYTES);
        assertThat(r.loggedBytes()).isEqualTo(r.sentBytes());
        assertThat(r.lostBytes()).isZero();
        assertThat(r.probes()).isGreaterThanOrEqualTo(SECONDS * 1000 / (int) ConsoleServerBench.PROBE_EVERY.toMillis() - 1);
        assertThat(r.delays()).hasSize(r.probes()).allSatisfy(d -> assertThat(d).isPositive());
        assertThat(r.cpuSeconds()).isPositive();
        assertThat(r.peakRssKiB()).isPositive();
        assertThat(r.seconds()).isGreaterThanOrEqualTo(SECONDS);
    }
}
