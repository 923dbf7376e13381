package org.ctys.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An inventory the user may not read is reported as "permission denied". The tests run as root,
 * who may read anything, so ctys runs here as the user nobody (setpriv, util-linux) from the
 * packaged jar.
 */
class InventoryPermissionIT {

    private static final String NOBODY = "65534";

    @TempDir Path dir;

    private record Outcome(int status, String out, String err) {}

    private Outcome asNobody(String... args) throws IOException, InterruptedException {
        Path jar = Path.of("target/ctys.jar").toAbsolutePath();
        assertThat(jar).as("mvn package makes the jar before the integration tests").exists();
        Path setpriv = Path.of("/usr/bin/setpriv");
        assertThat(setpriv).as("setpriv (Debian package util-linux)").exists();
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        List<String> cmd = new java.util.ArrayList<>(List.of(setpriv.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", jar.toString(),
                "org.ctys.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        pb.environment().put("HOME", dir.resolve("nobody-home").toString());
        pb.environment().put("CTYS_ETHERS", dir.resolve("no-ethers").toString());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("ctys did not end within 60 s");
        }
        return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void anUnreadableInventoryIsPermissionDenied() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path inv = dir.resolve("inventory.yaml");
        Files.writeString(inv, "machines:\n  lab01: {mac: aa:bb:cc:dd:ee:01}\n");
        Files.setPosixFilePermissions(inv, PosixFilePermissions.fromString("---------"));
        Outcome r = asNobody("--inventory", inv.toString(), "-t", "pm", "-a", "list");
        assertThat(r.err()).isEqualTo("ctys: cannot read inventory file " + inv + ": permission denied\n");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anUnreadableSecretFileIsPermissionDenied() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path pw = dir.resolve("bmc.pw");
        Files.writeString(pw, "s3cret\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------")); // root's own
        Path inv = dir.resolve("inventory.yaml");
        Files.writeString(inv, "machines:\n  lab01: {bmc: {address: 127.0.0.1, user: admin, password-file: bmc.pw}}\n");
        Outcome r = asNobody("--inventory", inv.toString(), "-n", "-t", "pm", "-a", "create=ipmi", "lab01");
        assertThat(r.err()).isEqualTo("ctys: cannot read secret file " + pw + ": permission denied\n");
        assertThat(r.status()).isEqualTo(3);
    }
}
