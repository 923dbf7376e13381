package org.ctys.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.ns("sender"), "env", "-i",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + home, "CTYS_ETHERS=" + home.resolve("none"),
                "CTYS_SYSTEM_INVENTORY=" + home.resolve("none.yaml"),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.ctys.Main",
                "-X", "-t", "pm", "-a", "create=wol,broadcast:10.213.0.255,ping:600%1,bmac:aa:bb:cc:dd:ee:99,t:10.213.0.99"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        try {
            // wait until it is waiting (its progress says so), then interrupt it
            var err = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = err.readLine();
            } while (line != null && !line.contains("waiting"));
            assertThat(line).as("ctys reached its wait").isNotNull();
            Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("ctys stopped after SIGINT").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isEqualTo(130);
            assertThat(out).startsWith("10.213.0.99;INTERRUPTED;interrupted;").contains("no answer yet");
        } finally {
            p.destroyForcibly();
        }
    }
}
