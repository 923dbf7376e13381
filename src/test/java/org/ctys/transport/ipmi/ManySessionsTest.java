package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Power status of many BMCs at once, as {@code -t pm -a list} asks it: every session's start, its
 * question and its close run on the client's one socket thread, one after another as the answers
 * arrive; no thread waits for a BMC, and no worker thread is made per BMC.
 */
class ManySessionsTest {
    private static final int BMCS = 32;
    private static final byte[] PASSWORD = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final List<TrainingBmc> bmcs = new ArrayList<>();

    @AfterEach
    void stop() {
        bmcs.forEach(TrainingBmc::close);
    }

    @Test
    void thirtyTwoStatusesAtOnceRunOnTheSocketThreadAlone() throws Exception {
        for (int i = 0; i < BMCS; i++) {
            TrainingBmc b = TrainingBmc.open(PASSWORD);
            bmcs.add(b);
            Thread t = new Thread(b::serve, "training-bmc-" + i);
            t.setDaemon(true);
            t.start();
        }
        Set<String> ctysThreads = ConcurrentHashMap.newKeySet();
        // threads other tests of this JVM left behind are not this client's
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        try (IpmiClient client = new IpmiClient(new IpmiClient.Timing(Duration.ofSeconds(2), 3))) {
            List<CompletableFuture<PowerState>> all = new ArrayList<>();
            for (TrainingBmc b : bmcs) {
                BmcAddress at = new BmcAddress("127.0.0.1", b.address().getPort(), TrainingBmc.USER, 3, false);
                all.add(client.openAsync(at, PASSWORD, null, IpmiClient.Privilege.USER).thenCompose(s -> s.powerAsync()
                        .whenComplete((p, e) -> ctysThreads.add(Thread.currentThread().getName()))
                        .thenCompose(p -> s.closeAsync().thenApply(v -> p))));
            }
            // while they run, the only thread of the client is its socket's
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("ctys-") && !before.contains(t)) ctysThreads.add(t.getName());
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            assertThat(all).allSatisfy(f -> assertThat(f.join()).isEqualTo(PowerState.ON));
            assertThat(ctysThreads).containsExactly("ctys-rmcp");
        }
    }
}
