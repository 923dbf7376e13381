package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a start of ctys makes the JVM do, seen in a JVM of its own through its logs: picocli must
 * not register its reflective converters (java.sql and java.time classes loaded for nothing) nor
 * look for Groovy's Closure class (a class-path search that opens the jar and throws
 * ClassNotFoundException). StartupBench measures what they cost.
 */
class StartPathTest {
    @TempDir
    Path dir;

    @Test
    void versionAndADryRunLookForNoMissingClassAndLoadNoConverterClasses() throws Exception {
        for (List<String> args : List.of(List.of("--version"),
                List.of("-n", "-t", "pm", "-a", "create=wol,bmac:02:00:00:00:00:01,t:192.0.2.1"))) {
            String log = run(args);
            assertThat(log).as(args + ": a class looked for and missing").doesNotContain("Exception <a 'java/lang/ClassNotFoundException'");
            assertThat(log).as(args + ": picocli's reflective converters").doesNotContain(" java.sql.", " java.time.format.");
            assertThat(log).as(args + ": picocli loaded").contains(" picocli.CommandLine ");
        }
    }

    private String run(List<String> args) throws Exception {
        Path log = dir.resolve("jvm.log");
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:exceptions=info,class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"),
                "org.ctys.Main"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile());
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("CTYS_ETHERS", dir.resolve("no-ethers").toString());
        pb.environment().put("CTYS_SYSTEM_INVENTORY", dir.resolve("no-inventory.yaml").toString());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ctys " + args + " did not end").isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("out"))).isZero();
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
