package org.ctys.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcTest {

    @TempDir
    Path dir;

    /**
     * A crash kills the parent with its children; killed after them, a parent that waits for one
     * could still act on its death (ipmi_sim answered 0xff for the chassis program killed under it).
     */
    @Test
    void killSendsSigkillToTheProcessBeforeWhatItStarted() throws Exception {
        Path started = dir.resolve("started");
        Process parent = new ProcessBuilder("/bin/bash", "-c",
                "sleep 60 & touch \"$1\"; wait $!; echo acted", "bash", started.toString())
                .redirectErrorStream(true).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(started) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        List<ProcessHandle> order = Proc.killOrder(parent);
        // the sleep, and the touch if it has not ended yet
        assertThat(order.size()).isGreaterThanOrEqualTo(2);
        assertThat(order.get(0)).isEqualTo(parent.toHandle());

        Proc.kill(parent);

        assertThat(order).allSatisfy(h -> assertThat(h.isAlive()).isFalse());
        assertThat(new String(parent.getInputStream().readAllBytes())).doesNotContain("acted");
    }
}
