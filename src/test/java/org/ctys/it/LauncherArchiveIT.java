package org.ctys.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SshKey;
import org.ctys.transport.ipmi.IpmiSim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data archive holds what a real SSH login loads (the key exchange, the host
 * key check, public-key auth, the command's channel) and what an RMCP+ session loads. The archive
 * is trained against the jar's own training server and training BMC; the login here goes to
 * OpenSSH's sshd on 127.0.0.1 and the power status to ipmi_sim on 127.0.0.1, and what they load
 * must come from the archive (loaded from the jar, each such class was read and verified at every
 * start: about a quarter of a second of a first login on a 2-core machine). Nothing leaves the machine.
 */
class LauncherArchiveIT {

    @Test
    void aRealLoginLoadsTheSshClientFromTheArchive(@TempDir Path dir) throws Exception {
        SshKey key = SshKey.generate(dir.resolve("id_ed25519"));
        try (OpenSshd sshd = OpenSshd.onLoopback(dir.resolve("sshd"), key.publicKey())) {
            Path home = Files.createDirectories(dir.resolve("home/.ssh")).getParent();
            key.copyTo(home.resolve(".ssh/id_ed25519"));
            Files.writeString(home.resolve(".ssh/config"), "Host lab1\n  HostName 127.0.0.1\n  Port " + sshd.port
                    + "\n  User " + System.getProperty("user.name") + "\n");
            sshd.trustIn(home);
            Proc.Outcome r = new CtysRunner(home).launcher().limit(Duration.ofMinutes(3))
                    .env("CTYS_JAVA_OPTS", "-Xlog:class+load=info")
                    .run("-q", "--timeout", "20s", "-t", "cli", "-a", "create=cmd:echo archived", "lab1");

            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("archived")
                    .contains("org.apache.sshd.client.session.ClientUserAuthService source: shared objects file")
                    .contains("org.apache.sshd.client.channel.ChannelExec source: shared objects file")
                    .contains("net.i2p.crypto.eddsa.math.GroupElement source: shared objects file");
            List<String> fromTheJar = r.out().lines().filter(l -> l.contains("source: file:"))
                    .filter(l -> l.contains("org.apache.sshd.") || l.contains("net.i2p.")).collect(Collectors.toList());
            // a handful may remain (classes only a server's particular answer needs); hundreds did before
            assertThat(fromTheJar).as("SSH classes loaded from the jar").hasSizeLessThan(10);
        }
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

    /**
     * The JVM maps the archive only with the jar path and the JDK it was made with, and otherwise
     * starts without it, silently: an installation copied elsewhere (or one whose JDK was updated)
     * lost the archive for good. Now the first start there marks it stale and the next one makes it
     * again. {@code -Xshare:on} shows whether it maps: with it the JVM refuses to start without it.
     */
    @Test
    void aCopiedInstallationMakesItsArchiveAgain(@TempDir Path dir) throws Exception {
        Path here = Path.of("").toAbsolutePath();
        Path root = dir.resolve("opt/ctys");
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("target"));
        Files.copy(here.resolve("bin/ctys"), root.resolve("bin/ctys"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String f : List.of("ctys.jar", "ctys.jsa", "ctys.jsa.log")) {
            Files.copy(here.resolve("target").resolve(f), root.resolve("target").resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Map<String, String> env = new CtysRunner(Files.createDirectories(dir.resolve("home"))).launcher().environment();
        Map<String, String> strict = new HashMap<>(env);
        strict.put("CTYS_JAVA_OPTS", "-Xshare:on");
        List<String> version = List.of(root.resolve("bin/ctys").toString(), "--version");
        Path stale = root.resolve("target/ctys.jsa.stale");

        assertThat(Proc.run(Duration.ofMinutes(1), strict, version).exit()).as("the copied archive does not map").isNotZero();
        Proc.Outcome first = Proc.run(Duration.ofMinutes(1), env, version);
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(stale).as("marked by the start that ran without it").exists();

        Proc.Outcome second = Proc.run(Duration.ofMinutes(3), env, version);
        assertThat(second.exit()).as(second.toString()).isZero();
        assertThat(stale).as("made again, the mark gone").doesNotExist();
        Proc.Outcome mapped = Proc.run(Duration.ofMinutes(1), strict, version);
        assertThat(mapped.exit()).as("the new archive maps: %s", mapped).isZero();
        assertThat(mapped.out()).startsWith("ctys ");
        Path madeFor = root.resolve("target/ctys.jsa.for");
        assertThat(madeFor).content().contains("jar=" + root.resolve("target/ctys.jar"));

        // should a start still not map it for this very JDK and jar, it is not made a third time
        Files.copy(madeFor, stale);
        java.nio.file.attribute.FileTime made = Files.getLastModifiedTime(root.resolve("target/ctys.jsa"));
        Proc.Outcome third = Proc.run(Duration.ofMinutes(1), env, version);
        assertThat(third.exit()).as(third.toString()).isZero();
        assertThat(Files.getLastModifiedTime(root.resolve("target/ctys.jsa"))).isEqualTo(made);
    }
}
