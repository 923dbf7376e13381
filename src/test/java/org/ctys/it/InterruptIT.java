package org.ctys.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.NetLab;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) while ctys waits for a machine: it stops, reports what was done, and exits 130. */
class InterruptIT {
    @TempDir static Path home;
    private static NetLab lab;

    @BeforeAll
    static void lab() {
        lab = NetLab.create("ctysit-int", Map.of("sender", "10.213.0.1/24"));
    }

    @AfterAll
    static void down() {
        if (lab != null) lab.close();
    }

    @Test
    void sigintStopsTheWaitAndReportsIt() throws Exception {
        try (CtysRunner.Running p = new CtysRunner(home).in(lab.ns("sender")).start(
                "-X", "-t", "pm", "-a", "create=wol,broadcast:10.213.0.255,ping:600%1,bmac:aa:bb:cc:dd:ee:99,t:10.213.0.99")) {
            // wait until it is waiting (its progress says so), then interrupt it
            assertThat(p.awaitStderr("waiting", Duration.ofSeconds(60))).as("ctys reached its wait").isTrue();
            p.send("INT");
            assertThat(p.waitFor(Duration.ofSeconds(15))).as("ctys stopped after SIGINT").isTrue();
            String out = p.outcome().out();
            assertThat(p.outcome().exit()).as(out).isEqualTo(130);
            assertThat(out).startsWith("10.213.0.99;INTERRUPTED;interrupted;").contains("no answer yet");
        }
    }
}
