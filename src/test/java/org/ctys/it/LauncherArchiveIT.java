package org.ctys.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data archive holds the SSH client's classes: the first SSH connection of a
 * ctys run no longer loads and verifies them from the jar (about half a second on a 2-core
 * machine, the largest part of ctys's first login beyond OpenSSH's). The run connects to
 * 127.0.0.1's discard port, which refuses: nothing leaves the machine.
 */
class LauncherArchiveIT {

    @Test
    void theSshClientComesFromTheArchive(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/.ssh"));
        Files.writeString(home.resolve("id_ed25519"), "not a key\n");
        Files.setPosixFilePermissions(home.resolve("id_ed25519"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path inv = dir.resolve("inventory.yaml");
        Files.writeString(inv, "machines:\n  closed01: {host: 127.0.0.1, ssh: {port: 9}}\n");
        Proc.Outcome r = new CtysRunner(dir.resolve("home")).inventory(inv).launcher().limit(Duration.ofMinutes(3))
                .env("CTYS_JAVA_OPTS", "-Xlog:class+load=info")
                .run("-q", "--timeout", "10s", "-t", "cli", "-a", "create=cmd:true", "closed01");
        assertThat(r.out()).as(r.err()).contains("org.apache.sshd.client.SshClient source: ");
        assertThat(r.out()).contains("org.apache.sshd.client.SshClient source: shared objects file")
                .contains("org.apache.sshd.common.util.security.SecurityUtils source: shared objects file")
                .contains("org.apache.sshd.common.io.nio2.Nio2Connector source: shared objects file");
    }
}
