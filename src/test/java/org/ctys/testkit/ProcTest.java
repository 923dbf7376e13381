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

    /** bash running {@code script} with a file name as $1, once the script has touched it and {@code children} processes run under it. */
    private Process started(String script, int children) throws Exception {
        Path started = dir.resolve("started");
        Process p = new ProcessBuilder("/bin/bash", "-c", script, "bash", started.toString()).redirectErrorStream(true).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((!Files.exists(started) || p.descendants().count() < children) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return p;
    }

    /**
     * A crash kills the parent with its children; killed after them, a parent that waits for one
     * could still act on its death (ipmi_sim answered 0xff for the chassis program killed under it).
     */
    @Test
    void killSendsSigkillToTheProcessBeforeWhatItStarted() throws Exception {
        Process parent = started("sleep 60 & touch \"$1\"; wait $!; echo acted", 1);
        List<ProcessHandle> order = Proc.killOrder(parent);
        // the sleep, and the touch if it has not ended yet
        assertThat(order.size()).isGreaterThanOrEqualTo(2);
        assertThat(order.get(0)).isEqualTo(parent.toHandle());

        Proc.kill(parent);
        // this JVM's own child is reaped by the time kill returns: a fixture's alive() says so at once
        assertThat(parent.isAlive()).isFalse();

        // the orphaned sleep may wait as a zombie for an init that reaps late, or never
        assertThat(order).allSatisfy(h -> assertThat(Proc.ended(h)).isTrue());
        assertThat(new String(parent.getInputStream().readAllBytes())).doesNotContain("acted");
    }

    /** Deeper trees too (a reaper, its ipmi_sim, the chassis program): nothing before the process that started it. */
    @Test
    void eachProcessComesBeforeWhatItStartedAtEveryLevel() throws Exception {
        Process top = started("bash -c 'sleep 60 & sleep 61 & touch \"$1\"; wait' inner \"$1\" & wait", 3);
        List<ProcessHandle> order = Proc.killOrder(top);
        assertThat(order.size()).isGreaterThanOrEqualTo(4);
        for (int i = 1; i < order.size(); i++) {
            // a process that ended since (the touch) has no parent to ask about any more
            ProcessHandle parent = order.get(i).parent().orElse(null);
            if (parent == null) continue;
            assertThat(order.subList(0, i)).as("the parent of %s comes first", order.get(i).info().command().orElse("?")).contains(parent);
        }

        Proc.kill(top);

        assertThat(order).allSatisfy(h -> assertThat(Proc.ended(h)).isTrue());
    }
}
