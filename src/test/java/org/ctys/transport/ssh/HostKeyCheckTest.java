package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ctys's known_hosts verdicts on the cases OpenSSH decides (HostKeyCheckOpenSshIT puts the same
 * files before ssh itself): the served key is K2 throughout, K1 another key of the same type.
 */
class HostKeyCheckTest {

    static {
        SshTransport.quietMina();
    }

    private static PublicKey k1;
    private static PublicKey k2;
    private static PublicKey rsa;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        k1 = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256).getPublic();
        k2 = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256).getPublic();
        KeyPair r = KeyUtils.generateKeyPair(KeyPairProvider.SSH_RSA, 2048);
        rsa = r.getPublic();
    }

    private Path user() {
        return dir.resolve("known_hosts");
    }

    private Path global() {
        return dir.resolve("ssh_known_hosts");
    }

    private Hop hop(int port) {
        return new Hop("lab", "127.0.0.2", port, "root", List.of(), List.of(user(), dir.resolve("known_hosts2")),
                List.of(global()), null, null, null, null, false, false);
    }

    private static String key(PublicKey k) {
        return PublicKeyEntry.toString(k);
    }

    private void write(Path file, String... lines) throws Exception {
        Files.writeString(file, String.join("\n", lines) + "\n");
    }

    private HostKeyCheck checked(Hop hop, boolean acceptNew, PublicKey served, boolean expected) {
        HostKeyCheck c = new HostKeyCheck(hop, acceptNew);
        assertThat(c.verify(served)).as(c.refusal() == null ? "accepted" : c.refusal().getMessage()).isEqualTo(expected);
        return c;
    }

    @Test
    void aDifferentKeyInTheGlobalFileIsAChangeNamingFileAndLineAndIsNeverAppended() throws Exception {
        write(global(), "# global", "[127.0.0.2]:2223 " + key(k1));

        HostKeyCheck c = checked(hop(2223), true, k2, false);

        assertThat(c.refusal().kind()).isEqualTo(SshFailure.Kind.CHANGED_HOST_KEY);
        assertThat(c.refusal().getMessage()).startsWith("REMOTE HOST IDENTIFICATION HAS CHANGED for 127.0.0.2 port 2223")
                .contains(KnownHosts.fingerprint(KnownHosts.blob(k2)))
                .contains(global() + ":2 has ED25519 " + KnownHosts.fingerprint(KnownHosts.blob(k1)))
                .contains("ssh-keygen -f '" + global() + "' -R '[127.0.0.2]:2223'");
        assertThat(user()).doesNotExist();
    }

    @Test
    void aDifferentKeyInTheUserFileIsAChange() throws Exception {
        write(user(), "[127.0.0.2]:2223 " + key(k1));

        assertThat(checked(hop(2223), true, k2, false).refusal().getMessage()).contains(user() + ":1");
        assertThat(Files.readString(user())).doesNotContain(key(k2));
    }

    @Test
    void aKeyOfAnotherTypeListedForTheHostIsAChangeAsInOpenSsh() throws Exception {
        write(user(), "[127.0.0.2]:2223 " + key(rsa));

        assertThat(checked(hop(2223), true, k2, false).refusal().getMessage()).contains(user() + ":1 has RSA SHA256:");
    }

    @Test
    void aStarPatternCoversEveryPortAsInOpenSsh() throws Exception {
        write(global(), "* " + key(k1));

        assertThat(checked(hop(2223), true, k2, false).refusal().kind()).isEqualTo(SshFailure.Kind.CHANGED_HOST_KEY);
        assertThat(checked(hop(22), true, k2, false).refusal().kind()).isEqualTo(SshFailure.Kind.CHANGED_HOST_KEY);
        checked(hop(2223), false, k1, true);
    }

    @Test
    void wildcardsInsideBracketsAndCommaListsWithNegation() throws Exception {
        write(user(), "[127.0.0.*]:2223 " + key(k2), "!127.0.0.2,127.0.0.* " + key(k1), "*,![127.0.0.2]:2223 " + key(k1));

        checked(hop(2223), false, k2, true); // line 1 only: line 3 negates this port
        checked(hop(22), false, k1, true); // line 3 only: line 2 negates 127.0.0.2, line 3 negates another port
        write(user(), "!127.0.0.2,127.0.0.* " + key(k1));
        assertThat(new HostKeyCheck(hop(22), false).decide(KnownHosts.blob(k1)).kind()).isEqualTo(SshFailure.Kind.UNKNOWN_HOST_KEY);
    }

    @Test
    void hashedNamesAreMatchedOnTheNameAsLookedUp() throws Exception {
        write(user(), hashed("[127.0.0.2]:2223") + " " + key(k2), hashed("127.0.0.2") + " " + key(k1));

        checked(hop(2223), false, k2, true);
        assertThat(checked(hop(22), false, k2, false).refusal().getMessage()).contains(user() + ":2");
    }

    @Test
    void aRevokedKeyIsRefusedEvenWhenListedAndWhenAcceptingNewKeys() throws Exception {
        write(global(), "@revoked * " + key(k2));
        write(user(), "[127.0.0.2]:2223 " + key(k2));

        HostKeyCheck c = checked(hop(2223), true, k2, false);

        assertThat(c.refusal().getMessage()).startsWith("REVOKED HOST KEY for 127.0.0.2 port 2223")
                .contains("marked @revoked in " + global() + ":1");
        write(global(), "@revoked otherhost " + key(k2));
        checked(hop(2223), false, k2, true);
    }

    @Test
    void aPlainKeyUnderOnlyACertificateAuthorityIsUnknownAndSaysWhy() throws Exception {
        write(global(), "@cert-authority * " + key(k1));

        HostKeyCheck c = checked(hop(2223), true, k2, false);

        assertThat(c.refusal().getMessage()).startsWith("unknown host key for 127.0.0.2 port 2223")
                .contains("only a @cert-authority line matches it").contains("not even with --accept-new-host-keys");
        assertThat(user()).doesNotExist();
    }

    @Test
    void anUnknownHostWithAcceptNewIsAppendedToTheFirstUserFileOnce() throws Exception {
        write(global(), "otherhost " + key(k1));

        checked(hop(2223), true, k2, true);
        checked(hop(2223), true, k2, true);
        checked(hop(2223), false, k2, true);

        assertThat(Files.readString(user())).isEqualTo("[127.0.0.2]:2223 " + key(k2) + "\n");
        assertThat(checked(hop(2224), false, k2, false).refusal().kind()).isEqualTo(SshFailure.Kind.UNKNOWN_HOST_KEY);
    }

    /** HashKnownHosts yes (Debian's ssh_config sets it): the name is written hashed, and ctys and OpenSSH's ssh-keygen find it. */
    @Test
    void withHashKnownHostsTheAppendedNameIsHashedAsSshHashesIt() throws Exception {
        Hop plain = hop(2223);
        Hop hashing = new Hop(plain.name(), plain.hostName(), plain.port(), plain.user(), plain.identities(), plain.userKnownHosts(),
                plain.globalKnownHosts(), null, null, null, null, false, true);

        checked(hashing, true, k2, true);
        checked(hashing, true, k2, true);

        String written = Files.readString(user());
        assertThat(written).doesNotContain("127.0.0.2").matches("\\|1\\|[A-Za-z0-9+/=]{28}\\|[A-Za-z0-9+/=]{28} " + java.util.regex.Pattern.quote(key(k2)) + "\n");
        checked(plain, false, k2, true);
        assertThat(checked(hop(2224), false, k2, false).refusal().kind()).isEqualTo(SshFailure.Kind.UNKNOWN_HOST_KEY);
        org.ctys.testkit.Proc.Outcome found = org.ctys.testkit.Proc.run(java.time.Duration.ofSeconds(10), List.of(
                org.ctys.testkit.Proc.require("ssh-keygen", "openssh-client"), "-F", "[127.0.0.2]:2223", "-f", user().toString()));
        assertThat(found.exit()).as(found.toString()).isZero();
        assertThat(found.out()).contains("Host [127.0.0.2]:2223 found: line 1");
    }

    @Test
    void aFileRewrittenDuringTheRunIsReadAsItIsNow() throws Exception {
        // the same length and, within the file system's clock tick, the same time: only the bytes differ
        write(user(), "[127.0.0.2]:2223 " + key(k1));
        checked(hop(2223), false, k1, true);
        write(user(), "[127.0.0.2]:2223 " + key(k2));
        assertThat(Files.size(user())).isEqualTo(("[127.0.0.2]:2223 " + key(k1) + "\n").length());
        checked(hop(2223), false, k2, true);
        assertThat(checked(hop(2223), false, k1, false).refusal().kind()).isEqualTo(SshFailure.Kind.CHANGED_HOST_KEY);
        Files.delete(user());
        assertThat(checked(hop(2223), false, k2, false).refusal().kind()).isEqualTo(SshFailure.Kind.UNKNOWN_HOST_KEY);
    }

    @Test
    void linesEndedTheWaysReadLineEndsThemAreEntries() throws Exception {
        Files.writeString(user(), "# one\r\n[127.0.0.2]:2224 " + key(k1) + "\r[127.0.0.2]:2223 " + key(k2) + "\r\n");
        checked(hop(2223), false, k2, true);
        checked(hop(2224), false, k1, true);
    }

    @Test
    void filesThatDisagreeAboutTheKeyAreRefusedEvenWhereOneOfThemListsIt() throws Exception {
        write(user(), "[127.0.0.2]:2223 " + key(k2));
        write(global(), "[127.0.0.2]:2223 " + key(k1), "[127.0.0.2]:2223 " + key(rsa));

        HostKeyCheck c = checked(hop(2223), false, k2, false);

        assertThat(c.refusal().getMessage()).contains("is listed in " + user() + ":1, but " + global() + ":1 has ED25519")
                .doesNotContain(global() + ":2");
    }

    @Test
    void linesOpenSshSkipsAreSkipped() throws Exception {
        write(user(), "garbage", "[127.0.0.2]:2223 ssh-ed25519 not-base64!", "@bogus * " + key(k1),
                "[127.0.0.2]:2223 ssh-rsa " + key(k1).split(" ")[1], "[127.0.0.2]:2223 " + key(k2) + " comment words");

        checked(hop(2223), false, k2, true);
    }

    @Test
    void theAlgorithmsOfKnownKeyTypesAreProposedFirstAndCertificatesNotAtAll() throws Exception {
        write(user(), "[127.0.0.2]:2223 " + key(rsa));
        String mina = "ecdsa-sha2-nistp256-cert-v01@openssh.com,ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256,"
                + "ssh-ed25519,rsa-sha2-512,rsa-sha2-256,ssh-rsa";

        assertThat(HostKeyOrder.order(mina, new HostKeyCheck(hop(2223), false).knownKeyTypes()))
                .isEqualTo("rsa-sha2-512,rsa-sha2-256,ssh-rsa,ecdsa-sha2-nistp256,ssh-ed25519");
        assertThat(HostKeyOrder.order(mina, Set.of())).isEqualTo("ecdsa-sha2-nistp256,ssh-ed25519,rsa-sha2-512,rsa-sha2-256,ssh-rsa");
    }

    /** A name hashed as ssh-keygen -H does: |1|salt|HMAC-SHA1(salt, name). */
    private static String hashed(String name) throws Exception {
        byte[] salt = new byte[20];
        new java.security.SecureRandom().nextBytes(salt);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(salt, "HmacSHA1"));
        Base64.Encoder b = Base64.getEncoder();
        return "|1|" + b.encodeToString(salt) + "|" + b.encodeToString(mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
    }
}
