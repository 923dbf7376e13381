package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshConfigTest {

    @TempDir
    Path home;

    private SshConfig config(String text) throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/config"), text);
        return SshConfig.load(new SshOptions(null, home, false, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }

    @Test
    void aHostPatternFillsInHostNamePortUserAndIdentityRelativeToHome() throws Exception {
        SshConfig c = config("""
                Host lab*
                    HostName 10.0.0.%h
                    Port 2222
                    User admin
                    IdentityFile ~/.ssh/lab_key
                    UserKnownHostsFile ~/.ssh/lab_hosts
                Host *
                    User nobody
                    Port 9
                """);

        Hop h = c.resolve("lab7", null, null);

        assertThat(h.hostName()).isEqualTo("10.0.0.lab7");
        assertThat(h.port()).isEqualTo(2222);
        assertThat(h.user()).isEqualTo("admin");
        assertThat(h.identities()).containsExactly(home.resolve(".ssh/lab_key"));
        assertThat(h.knownHosts()).containsExactly(home.resolve(".ssh/known_hosts"), home.resolve(".ssh/lab_hosts"));
        assertThat(h.knownHostsName()).isEqualTo("[10.0.0.lab7]:2222");
    }

    @Test
    void explicitUserAndPortWinAndUnmatchedNamesGetDefaults() throws Exception {
        SshConfig c = config("Host lab*\n    User admin\n    Port 2222\n");

        Hop explicit = c.resolve("lab1", "root", 22);
        Hop plain = c.resolve("other", null, null);

        assertThat(explicit.user()).isEqualTo("root");
        assertThat(explicit.port()).isEqualTo(22);
        assertThat(explicit.knownHostsName()).isEqualTo("lab1");
        assertThat(plain.user()).isEqualTo(System.getProperty("user.name"));
        assertThat(plain.port()).isEqualTo(22);
        assertThat(plain.identities()).containsExactly(home.resolve(".ssh/id_ed25519"), home.resolve(".ssh/id_ecdsa"),
                home.resolve(".ssh/id_rsa"));
    }

    @Test
    void jumpSpecsSplitLikeOpenSsh() throws Exception {
        SshConfig c = config("Host gw\n    HostName 192.0.2.1\n    User ops\n");

        Hop full = c.resolveJump("me@gw:2200");
        Hop bare = c.resolveJump("gw");
        Hop v6 = c.resolveJump("[::1]:23");

        assertThat(full.user()).isEqualTo("me");
        assertThat(full.hostName()).isEqualTo("192.0.2.1");
        assertThat(full.port()).isEqualTo(2200);
        assertThat(bare.user()).isEqualTo("ops");
        assertThat(bare.port()).isEqualTo(22);
        assertThat(v6.hostName()).isEqualTo("::1");
        assertThat(v6.port()).isEqualTo(23);
        assertThat(SshConfig.splitJumps("a, b,c")).containsExactly("a", "b", "c");
        assertThat(SshConfig.splitJumps(null)).isEmpty();
        assertThatThrownBy(() -> c.resolveJump("gw:http")).isInstanceOfSatisfying(SshFailure.class,
                f -> assertThat(f.kind()).isEqualTo(SshFailure.Kind.CONFIG));
    }

    @Test
    void proxyJumpComesFromTheConfigAndNoneDisablesIt() throws Exception {
        SshConfig c = config("Host inner\n    ProxyJump a,b\nHost direct\n    ProxyJump none\n");

        assertThat(SshConfig.splitJumps(c.resolve("inner", null, null).proxyJump())).containsExactly("a", "b");
        assertThat(c.resolve("direct", null, null).proxyJump()).isNull();
    }

    @Test
    void aNamedConfigFileThatIsMissingIsAConfigFailure() {
        SshOptions o = new SshOptions(home.resolve("nope"), home, false, Duration.ofSeconds(1), Duration.ofSeconds(1));

        assertThatThrownBy(() -> SshConfig.load(o)).isInstanceOfSatisfying(SshFailure.class, f -> {
            assertThat(f.kind()).isEqualTo(SshFailure.Kind.CONFIG);
            assertThat(f.getMessage()).contains("nope");
        });
    }
}
