package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Waking machines of the inventory, with its copy cold (written) and warm (read), loads none of
 * the JDK's security machinery: a digest of the YAML or SecureRandom for a temporary file name
 * loads the security providers, which cost 10 to 140 ms in the launcher's cold, C1-only JVM (for a
 * wake that otherwise takes tens of milliseconds). Nor does it use a stream's findFirst, whose
 * FindOps has lambdas JDK 17 spins at run time, outside the class-data archive. The JVM's own
 * class-loading log tells.
 * Packets go to 127.0.0.1's discard port only.
 */
class WakeStartupClassesTest {
    private static final List<String> UNWANTED = List.of("java.security.MessageDigest ", "java.security.SecureRandom ",
            "sun.security.jca.Providers ", "java.util.stream.FindOps ");

    @TempDir Path dir;

    @Test
    void wakingFromTheInventoryLoadsNoDigestNoSecureRandomAndNoFindOps() throws IOException {
        Path inv = dir.resolve("inventory.yaml");
        Files.writeString(inv, """
                defaults:
                  wol: {broadcast: 127.0.0.1}
                machines:
                  lab01: {mac: "02:00:00:00:00:01"}
                  lab02: {mac: "02:00:00:00:00:02"}
                groups:
                  lab: ["lab[01-02]"]
                """);
        CtysRunner ctys = new CtysRunner(dir.resolve("home")).inventory(inv);
        for (String run : List.of("cold", "warm")) {
            Path log = dir.resolve(run + ".classes");
            Proc.Outcome o = ctys.env("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + log)
                    .run("-q", "-t", "pm", "-a", "create=wol,ping:off", "@lab");
            assertThat(o.exit()).as(o.toString()).isZero();
            assertThat(o.out()).as(o.toString()).contains("lab01", "lab02");
            String loaded = Files.readString(log);
            assertThat(loaded).as(run).contains("org.ctys.inventory.InventoryCache ");
            for (String c : UNWANTED) assertThat(loaded).as(run + ": " + c.strip()).doesNotContain("] " + c);
        }
        try (var copies = Files.list(dir.resolve("home/.cache/ctys"))) {
            assertThat(copies.toList()).hasSize(1);
        }
    }
}
