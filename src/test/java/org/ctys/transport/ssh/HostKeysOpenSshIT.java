package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Host keys side by side with OpenSSH: for each arrangement of known_hosts files, {@code ssh -o
 * BatchMode=yes} with StrictHostKeyChecking=yes and =accept-new and ctys with and without
 * --accept-new-host-keys read the same -F config (UserKnownHostsFile and GlobalKnownHostsFile in
 * temporary files) against one real sshd on 127.0.0.2, and must reach the same verdict. The served
 * key is K2; K1 is another Ed25519 key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class HostKeysOpenSshIT {

    private Path work;
    private Path key;
    private OpenSshd sshd;
    private String k1;
    private String k2;
    private Path home;
    private Path userFile;
    private Path globalFile;
    private Path config;
    private Path marker;

    @BeforeAll
    void start() throws Exception {
        Proc.requireRoot();
        Proc.require("/usr/bin/ssh", "openssh-client");
        work = Files.createTempDirectory("ctys-hostkeys-it");
        key = work.resolve("id_ed25519");
        Proc.ok("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        sshd = OpenSshd.start(work.resolve("sshd"), null, "127.0.0.2", Proc.freePort(), Path.of(key + ".pub"));
        Path other = work.resolve("k1");
        Proc.ok("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString());
        k1 = keyOf(Path.of(other + ".pub"));
        k2 = keyOf(sshd.hostKeyPub);
    }

    @AfterAll
    void stop() {
        if (sshd != null) {
            sshd.kill();
        }
        Proc.deleteTree(work);
    }

    @BeforeEach
    void fresh() throws Exception {
        home = Files.createTempDirectory(work, "home");
        Files.createDirectories(home.resolve(".ssh"));
        userFile = home.resolve("user_known_hosts");
        globalFile = home.resolve("global_known_hosts");
        config = home.resolve("ssh_config");
        Files.writeString(config, """
                Host target
                    HostName 127.0.0.2
                    Port %d
                    User root
                    IdentityFile %s
                    UserKnownHostsFile %s
                    GlobalKnownHostsFile %s
                """.formatted(sshd.port, key, userFile, globalFile));
        marker = home.resolve("ran");
    }

    private static String keyOf(Path pub) throws IOException {
        String[] w = Files.readString(pub).strip().split(" ");
        return w[0] + " " + w[1];
    }

    private String name() {
        return "[127.0.0.2]:" + sshd.port;
    }

    private void files(List<String> user, List<String> global) throws IOException {
        Files.writeString(userFile, user.isEmpty() ? "" : String.join("\n", user) + "\n");
        Files.writeString(globalFile, global.isEmpty() ? "" : String.join("\n", global) + "\n");
    }

    private boolean ssh(String strict) {
        Proc.Outcome r = Proc.quietly("/usr/bin/ssh", "-F", config.toString(), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=" + strict, "target", "true");
        return r.exit() == 0;
    }

    private Proc.Outcome ctys(boolean acceptNew) throws Exception {
        List<String> args = new ArrayList<>(List.of("-q", "-X", "-F", config.toString()));
        if (acceptNew) {
            args.add("--accept-new-host-keys");
        }
        args.addAll(List.of("-t", "cli", "-a", "create=cmd:touch " + marker, "target"));
        return new CtysRunner(home).run(args.toArray(String[]::new));
    }

    /**
     * Runs ssh and ctys in both modes on the files as they are (restored before each run, since
     * accept-new may write) and checks they agree; returns ctys's refusals for their wording.
     */
    private List<Proc.Outcome> agree(boolean accepted, List<String> user, List<String> global) throws Exception {
        List<Proc.Outcome> refusals = new ArrayList<>();
        for (boolean acceptNew : List.of(false, true)) {
            files(user, global);
            boolean sshSays = ssh(acceptNew ? "accept-new" : "yes");
            files(user, global);
            Files.deleteIfExists(marker);
            Proc.Outcome r = ctys(acceptNew);
            String mode = acceptNew ? "accept-new" : "yes";
            assertThat(sshSays).as("ssh with StrictHostKeyChecking=" + mode).isEqualTo(accepted);
            assertThat(r.exit() == 0).as("ctys as StrictHostKeyChecking=" + mode + ": " + r.out() + r.err()).isEqualTo(accepted);
            assertThat(Files.exists(marker)).as("the command ran").isEqualTo(accepted);
            if (!accepted) {
                assertThat(r.exit()).as(r.out()).isEqualTo(3);
                assertThat(r.out()).startsWith("target;CONFIG;");
                assertThat(Files.readAllLines(userFile)).as("a refused key is never added").isEqualTo(user);
                refusals.add(r);
            }
        }
        return refusals;
    }

    @Test
    void aDifferentKeyInTheGlobalFileIsAChangeForBoth() throws Exception {
        List<Proc.Outcome> refused = agree(false, List.of(), List.of("# global", name() + " " + k1));

        assertThat(refused).allSatisfy(r -> assertThat(r.out()).contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
                .contains(globalFile + ":2 has ED25519 " + fingerprint(k1)).contains(fingerprint(k2)));
    }

    @Test
    void aDifferentKeyInTheUserFileIsAChangeForBoth() throws Exception {
        List<Proc.Outcome> refused = agree(false, List.of(name() + " " + k1), List.of());

        assertThat(refused).allSatisfy(r -> assertThat(r.out()).contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
                .contains(userFile + ":1"));
    }

    @Test
    void aStarPatternCoversANon22PortForBoth() throws Exception {
        List<Proc.Outcome> refused = agree(false, List.of(), List.of("* " + k1));

        assertThat(refused).allSatisfy(r -> assertThat(r.out()).contains(globalFile + ":1"));
    }

    @Test
    void aHashedEntryIsHonouredByBoth() throws Exception {
        files(List.of(name() + " " + k2), List.of());
        Proc.ok("/usr/bin/ssh-keygen", "-H", "-f", userFile.toString());
        List<String> hashed = Files.readAllLines(userFile);
        assertThat(hashed).singleElement().asString().startsWith("|1|");

        agree(true, hashed, List.of());
    }

    @Test
    void aNegatedPatternTakesTheLineAwayForBoth() throws Exception {
        agree(true, List.of(name() + " " + k2), List.of("*,!" + name() + " " + k1));
        agree(false, List.of("[127.0.0.*]:" + sshd.port + ",!otherhost " + k1), List.of());
    }

    /**
     * The one deliberate difference: OpenSSH accepts a key as soon as one line lists it, whatever
     * another file says; ctys refuses while a file lists another key of the same type for the host.
     */
    @Test
    void filesThatDisagreeAreAcceptedBySshButRefusedByCtys() throws Exception {
        files(List.of(name() + " " + k2), List.of(name() + " " + k1));
        assertThat(ssh("yes")).isTrue();
        Proc.Outcome r = ctys(true);

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
                .contains("is listed in " + userFile + ":1, but " + globalFile + ":1 has ED25519 " + fingerprint(k1));
        assertThat(marker).doesNotExist();
    }

    @Test
    void aRevokedKeyIsRefusedByBothEvenWhenListedAndAcceptingNew() throws Exception {
        List<Proc.Outcome> refused = agree(false, List.of(name() + " " + k2), List.of("@revoked * " + k2));

        assertThat(refused).allSatisfy(r -> assertThat(r.out()).contains("REVOKED HOST KEY")
                .contains("marked @revoked in " + globalFile + ":1"));
    }

    @Test
    void aWildcardInsideTheBracketsMatchesForBoth() throws Exception {
        agree(true, List.of(), List.of("[127.0.0.*]:" + sshd.port + " " + k2));
    }

    @Test
    void anUnknownHostIsRefusedByBothWithoutAcceptNew() throws Exception {
        files(List.of(), List.of("otherhost " + k1));
        assertThat(ssh("yes")).isFalse();
        Proc.Outcome r = ctys(false);

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).contains("unknown host key for 127.0.0.2 port " + sshd.port).contains(fingerprint(k2));
        assertThat(Files.readString(userFile)).isEmpty();
    }

    @Test
    void anUnknownHostAcceptedNewByCtysIsThenTrustedByBothAndTheOtherWayRound() throws Exception {
        files(List.of(), List.of());
        Proc.Outcome r = ctys(true);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(Files.readAllLines(userFile)).containsExactly(name() + " " + k2);
        assertThat(ssh("yes")).isTrue();
        assertThat(ctys(false).exit()).isZero();

        files(List.of(), List.of());
        assertThat(ssh("accept-new")).isTrue();
        assertThat(Files.readString(userFile)).contains(k2);
        Proc.Outcome after = ctys(false);
        assertThat(after.exit()).as(after.out() + after.err()).isZero();
    }

    @Test
    void aHostCertificateUnderACertificateAuthorityIsTrustedBySshButRefusedClearlyByCtys() throws Exception {
        Path ca = work.resolve("host_ca");
        Files.deleteIfExists(ca);
        Files.deleteIfExists(Path.of(ca + ".pub"));
        Proc.ok("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ca.toString());
        Path certDir = Files.createTempDirectory(work, "cert");
        try (OpenSshd certified = OpenSshd.start(certDir, null, "127.0.0.2", Proc.freePort(), Path.of(key + ".pub"),
                List.of(), ca)) {
            Files.writeString(config, Files.readString(config).replace("Port " + sshd.port, "Port " + certified.port));
            files(List.of(), List.of("@cert-authority * " + keyOf(Path.of(ca + ".pub"))));

            assertThat(ssh("yes")).as("ssh verifies the certificate").isTrue();
            Proc.Outcome r = ctys(true);

            assertThat(r.exit()).isEqualTo(3);
            assertThat(r.out()).contains("only a @cert-authority line matches it, and ctys does not verify host certificates");
            assertThat(Files.readString(userFile)).as("nor does it add a key for a host a CA vouches for").isEmpty();
        }
    }

    private static String fingerprint(String key) {
        return KnownHosts.fingerprint(java.util.Base64.getDecoder().decode(key.split(" ")[1]));
    }
}
