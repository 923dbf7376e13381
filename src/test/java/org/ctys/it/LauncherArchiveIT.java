package org.ctys.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.Proc;
import org.ctys.transport.ipmi.IpmiSim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data archive holds the SSH client's classes and those of an RMCP+ session:
 * the first SSH connection of a ctys run no longer loads and verifies them from the jar (about half
 * a second on a 2-core machine, the largest part of ctys's first login beyond OpenSSH's), nor does
 * the first power status through a BMC. The SSH run connects to 127.0.0.1's discard port, which
 * refuses; the BMC is an ipmi_sim on 127.0.0.1: nothing leaves the machine.
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

    /**
     * The archive is trained on a real RMCP+ session (bin/ctys runs a power status against
     * TrainingBmc on 127.0.0.1 while it makes the archive): a power status against a real BMC
     * (ipmi_sim) loads the session's classes, HMAC and AES from the archive, not from the jar.
     */
    @Test
    void theRmcpSessionComesFromTheArchive(@TempDir Path dir) throws Exception {
        try (IpmiSim bmc = IpmiSim.start(Files.createDirectories(dir.resolve("bmc")), IpmiSim.Options.defaults().poweredOn(true))) {
            Path pw = dir.resolve("bmc.pw");
            Files.writeString(pw, bmc.password() + "\n");
            Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
            Path inv = dir.resolve("inventory.yaml");
            Files.writeString(inv, "machines:\n  lab01: {bmc: {address: 127.0.0.1, port: " + bmc.port() + ", user: " + bmc.user()
                    + ", password-file: " + pw + "}}\n");
            Proc.Outcome r = new CtysRunner(Files.createDirectories(dir.resolve("home"))).inventory(inv).launcher()
                    .limit(Duration.ofMinutes(3)).env("CTYS_JAVA_OPTS", "-Xlog:class+load=info")
                    .run("-t", "pm", "-a", "list", "lab01");
            assertThat(r.out()).as(r.err()).containsPattern("lab01 .* on ");
            assertThat(r.out()).contains("org.ctys.transport.ipmi.RmcpSession source: shared objects file")
                    .contains("org.ctys.transport.ipmi.RmcpCrypto source: shared objects file")
                    .contains("org.ctys.transport.ipmi.Rmcp$Keys source: shared objects file")
                    .contains("com.sun.crypto.provider.HmacSHA1 source: shared objects file")
                    .contains("com.sun.crypto.provider.AESCrypt source: shared objects file")
                    .doesNotContain("org.ctys.transport.ipmi.TrainingBmc");
        }
    }
}
