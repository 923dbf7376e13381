package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ctys.grammar.JumpSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshConfigTest {

    @TempDir
    Path home;

    private final List<String> warnings = new ArrayList<>();

    private SshConfig config(String text) throws Exception {
        return config(text, false);
    }

    private SshConfig config(String text, boolean acceptNew) throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/config"), text);
        return SshConfig.load(new SshOptions(null, home, acceptNew, Duration.ofSeconds(1), Duration.ofSeconds(1), null,
                false, warnings::add));
    }

    private Path file() {
        return home.resolve(".ssh/config");
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
        assertThat(h.userKnownHosts()).containsExactly(home.resolve(".ssh/lab_hosts"));
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

    @Test
    void aBadPortIsAConfigErrorNamingFileLineAndValueEvenInABlockThatDoesNotApply() throws Exception {
        String text = "Host other\n    HostName 10.0.0.1\nHost never\n    Port notaport\n";

        assertThatThrownBy(() -> config(text)).isInstanceOfSatisfying(SshFailure.class, f -> {
            assertThat(f.kind()).isEqualTo(SshFailure.Kind.CONFIG);
            assertThat(f.getMessage()).isEqualTo(file() + ":4: bad Port 'notaport': expected a number 1-65535");
        });
        assertThatThrownBy(() -> config("Port 70000\n")).hasMessageContaining(file() + ":1: bad Port '70000'");
    }

    @Test
    void userAndGlobalKnownHostsFilesDefaultAsInOpenSshAndTakeSeveralFilesEach() throws Exception {
        SshConfig c = config("""
                Host lab
                    UserKnownHostsFile ~/.ssh/a "/tmp/with space" %d/c_%h_%p
                    GlobalKnownHostsFile /etc/g1 /etc/g2
                    HostName 10.0.0.9
                Host none
                    UserKnownHostsFile none
                    GlobalKnownHostsFile none
                """);

        Hop plain = c.resolve("plain", null, null);
        Hop lab = c.resolve("lab", null, 2200);
        Hop none = c.resolve("none", null, null);

        assertThat(plain.userKnownHosts()).containsExactly(home.resolve(".ssh/known_hosts"), home.resolve(".ssh/known_hosts2"));
        assertThat(plain.globalKnownHosts()).containsExactly(Path.of("/etc/ssh/ssh_known_hosts"),
                Path.of("/etc/ssh/ssh_known_hosts2"));
        assertThat(lab.userKnownHosts()).containsExactly(home.resolve(".ssh/a"), Path.of("/tmp/with space"),
                Path.of(home + "/c_10.0.0.9_2200"));
        assertThat(lab.globalKnownHosts()).containsExactly(Path.of("/etc/g1"), Path.of("/etc/g2"));
        assertThat(none.knownHosts()).isEmpty();
    }

    @Test
    void hostKeyAliasIsTheNameLookedUpInKnownHosts() throws Exception {
        SshConfig c = config("Host lab\n    HostName 10.0.0.9\n    Port 2200\n    HostKeyAlias Lab-Key\n");

        assertThat(c.resolve("lab", null, null).knownHostsName()).isEqualTo("lab-key");
        assertThat(c.resolve("LAB", null, null).knownHostsName()).as("Host patterns ignore case").isEqualTo("lab-key");
        assertThat(c.resolve("other", null, 2200).knownHostsName()).isEqualTo("[other]:2200");
    }

    @Test
    void proxyCommandGetsItsTokensAndWhereItWasSet() throws Exception {
        SshConfig c = config("""
                Host bastioned
                    HostName 10.1.2.3
                    User ops
                    ProxyCommand ssh -W %h:%p gw # %n %r %%
                Host both
                    ProxyJump gw
                    ProxyCommand nc %h %p
                Host first
                    ProxyCommand=nc %h %p
                    ProxyJump gw
                Host off
                    ProxyCommand none
                Host *
                    ProxyCommand should-not-win %h
                """);

        Hop h = c.resolve("bastioned", null, 2222);

        assertThat(h.proxyCommand().command()).isEqualTo("ssh -W 10.1.2.3:2222 gw # bastioned ops %");
        assertThat(h.proxyCommand().origin()).isEqualTo(file() + ":4");
        assertThat(h.proxyJump()).isNull();
        assertThat(c.resolve("both", null, null).proxyJump()).as("the first of the two wins, as in OpenSSH").isEqualTo("gw");
        assertThat(c.resolve("both", null, null).proxyCommand()).isNull();
        assertThat(c.resolve("first", null, null).proxyCommand().command()).isEqualTo("nc first 22");
        assertThat(c.resolve("first", null, null).proxyJump()).isNull();
        assertThat(c.resolve("off", null, null).proxyCommand()).isNull();
    }

    @Test
    void anUnknownTokenIsAConfigErrorNamingTheLine() throws Exception {
        SshConfig c = config("Host x\n    ProxyCommand nc %h %k\n");

        assertThatThrownBy(() -> c.resolve("x", null, null)).isInstanceOfSatisfying(SshFailure.class, f -> {
            assertThat(f.kind()).isEqualTo(SshFailure.Kind.CONFIG);
            assertThat(f.getMessage()).startsWith(file() + ":2: proxycommand: unknown token %k");
        });
    }

    @Test
    void keywordsThatChangeHowToConnectAreWarnedAboutOncePerRunAndOnlyWhenTheyApply() throws Exception {
        SshConfig c = config("""
                Host lab*
                    AddressFamily inet
                    CertificateFile ~/.ssh/id_cert.pub
                    KnownHostsCommand /bin/true %H
                    CheckHostIP no
                    IdentitiesOnly no
                    StrictHostKeyChecking yes
                Host other
                    StrictHostKeyChecking no
                Host quiet
                    ConnectTimeout 5
                    ServerAliveInterval 9
                """);

        c.resolve("lab1", null, null);
        c.resolve("lab2", null, null);
        c.resolve("quiet", null, null);

        assertThat(warnings).containsExactly(
                file() + ":2: addressfamily inet is not honoured by ctys; it connects as if the line were not there",
                file() + ":3: certificatefile ~/.ssh/id_cert.pub is not honoured by ctys; it connects as if the line were not there",
                file() + ":4: knownhostscommand /bin/true %H is not honoured by ctys; it connects as if the line were not there");
        c.resolve("other", null, null);
        assertThat(warnings).hasSize(4);
        assertThat(warnings.get(3)).isEqualTo(file() + ":9: StrictHostKeyChecking no is not honoured: ctys checks host keys"
                + " as StrictHostKeyChecking=yes (accept-new with --accept-new-host-keys)");
    }

    /** As ssh: ~/.ssh/config and what it includes must be the user's (or root's) and written by its owner only. */
    @Test
    void aUserConfigOthersCanWriteIsRefusedAsSshRefusesIt() throws Exception {
        config("Host lab1\n    HostName 10.0.0.1\n");
        Files.setPosixFilePermissions(file(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
        assertThatThrownBy(() -> SshConfig.load(new SshOptions(null, home, false, Duration.ofSeconds(1), Duration.ofSeconds(1), null,
                false, warnings::add))).isInstanceOfSatisfying(SshFailure.class, e -> {
                    assertThat(e.kind()).isEqualTo(SshFailure.Kind.CONFIG);
                    assertThat(e.getMessage()).startsWith("Bad owner or permissions on " + file());
                });
        // an included file the same
        Path inc = home.resolve(".ssh/lab.conf");
        Files.writeString(inc, "Host lab2\n    HostName 10.0.0.2\n");
        Files.setPosixFilePermissions(inc, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.writeString(file(), "Include lab.conf\n");
        Files.setPosixFilePermissions(file(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> SshConfig.load(new SshOptions(null, home, false, Duration.ofSeconds(1), Duration.ofSeconds(1), null,
                false, warnings::add))).hasMessageStartingWith("Bad owner or permissions on " + inc);
        // a file given with -F is read as ssh -F reads it: unchecked
        assertThat(SshConfig.load(new SshOptions(inc, home, false, Duration.ofSeconds(1), Duration.ofSeconds(1), null,
                false, warnings::add)).resolve("lab2", null, null).hostName()).isEqualTo("10.0.0.2");
    }

    /** Warning and going on would trust a key the user revoked: the hosts the line applies to are refused. */
    @Test
    void aRevokedHostKeysFileIsAConfigurationErrorNotAWarning() throws Exception {
        SshConfig c = config("""
                Host lab*
                    RevokedHostKeys ~/.ssh/revoked.krl
                Host other
                    RevokedHostKeys none
                Host *
                    RevokedHostKeys ~/.ssh/revoked.krl
                """);
        assertThatThrownBy(() -> c.resolve("lab1", null, null)).isInstanceOfSatisfying(SshFailure.class, e -> {
            assertThat(e.kind()).isEqualTo(SshFailure.Kind.CONFIG);
            assertThat(e.getMessage()).isEqualTo(file() + ":2: RevokedHostKeys ~/.ssh/revoked.krl is not read by ctys, which would"
                    + " then accept the keys it revokes; mark them @revoked in known_hosts instead");
        });
        // the first value counts, as in OpenSSH: none, then the catch-all line does not apply
        assertThat(c.resolve("other", null, null).hostName()).isEqualTo("other");
        assertThatThrownBy(() -> c.resolve("elsewhere", null, null)).hasMessageContaining(":6: RevokedHostKeys");
    }

    @Test
    void identitiesOnlyAndHashKnownHostsAreReadAndTheFirstValueCounts() throws Exception {
        SshConfig c = config("Host only\n    IdentitiesOnly yes\nHost bad\n    IdentitiesOnly maybe\nHost *\n    IdentitiesOnly no\n"
                + "    HashKnownHosts yes\n");
        assertThat(c.resolve("only", null, null).identitiesOnly()).isTrue();
        assertThat(c.resolve("only", null, null).hashKnownHosts()).isTrue();
        assertThat(c.resolve("other", null, null).identitiesOnly()).isFalse();
        assertThatThrownBy(() -> c.resolve("bad", null, null)).hasMessage(file() + ":4: bad IdentitiesOnly 'maybe': expected yes or no");
        for (String bare : List.of("ConnectTimeout", "IdentitiesOnly", "HashKnownHosts", "RevokedHostKeys")) {
            assertThatThrownBy(() -> config("Host lab\n    " + bare + "\n").resolve("lab", null, null))
                    .as(bare).isInstanceOfSatisfying(SshFailure.class, f -> assertThat(f.kind()).isEqualTo(SshFailure.Kind.CONFIG))
                    .hasMessageEndingWith(":2: " + bare.toLowerCase(java.util.Locale.ROOT) + " needs a value");
        }
    }

    /** ConnectTimeout bounds a hop's lookup and connect as in OpenSSH (convtime units); the first value counts. */
    @Test
    void connectTimeoutIsReadAsOpenSshReadsIt() throws Exception {
        SshConfig c = config("""
                Host fast
                    ConnectTimeout 3
                Host mixed
                    ConnectTimeout 1m30s
                Host unset
                    ConnectTimeout none
                Host zero
                    ConnectTimeout 0
                Host bad
                    ConnectTimeout soon
                Host *
                    ConnectTimeout 20
                """);
        assertThat(c.resolve("fast", null, null).connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.resolve("mixed", null, null).connectTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.resolve("unset", null, null).connectTimeout()).as("none: ctys's own bound").isNull();
        assertThat(c.resolve("zero", null, null).connectTimeout()).isNull();
        assertThat(c.resolve("elsewhere", null, null).connectTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThatThrownBy(() -> c.resolve("bad", null, null)).isInstanceOfSatisfying(SshFailure.class, e -> {
            assertThat(e.kind()).isEqualTo(SshFailure.Kind.CONFIG);
            assertThat(e.getMessage()).isEqualTo(file() + ":10: bad ConnectTimeout 'soon': expected seconds or a time such as 30s, 1m30s");
        });
    }

    @Test
    void warningsOfTargetsResolvedInParallelComeInFileOrder() throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/config"), "Host lab*\n    AddressFamily inet\n    StrictHostKeyChecking no\n");
        for (int round = 0; round < 20; round++) {
            List<String> said = java.util.Collections.synchronizedList(new ArrayList<>());
            SshConfig c = SshConfig.load(new SshOptions(null, home, false, Duration.ofSeconds(1), Duration.ofSeconds(1),
                    null, false, line -> {
                        if (line.contains("addressfamily")) {
                            try {
                                Thread.sleep(5); // a slow write: the other walks run on meanwhile
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        said.add(line);
                    }));
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String name = "lab" + t;
                Thread th = new Thread(() -> {
                    try {
                        go.await();
                        c.resolve(name, null, null);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                th.start();
                threads.add(th);
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertThat(said).as("round " + round).hasSize(2);
            assertThat(said.get(0)).as("round " + round).contains(":2: addressfamily");
            assertThat(said.get(1)).as("round " + round).contains(":3: StrictHostKeyChecking");
        }
    }

    @Test
    void strictHostKeyCheckingAcceptNewIsWhatCtysDoesWithTheFlag() throws Exception {
        config("Host *\n    StrictHostKeyChecking accept-new\n", true).resolve("x", null, null);
        assertThat(warnings).isEmpty();
        config("Host *\n    StrictHostKeyChecking accept-new\n", false).resolve("x", null, null);
        assertThat(warnings).singleElement().asString().contains("StrictHostKeyChecking accept-new is not honoured");
    }

    @Test
    void matchBlocksCtysCanEvaluateApplyAndOthersAreSkippedWithAWarning() throws Exception {
        SshConfig c = config("""
                Match host 10.0.0.* !originalhost skip*
                    User fromhost
                Match exec "test -e /nonexistent"
                    HostName 192.0.2.66
                Host lab*
                    HostName 10.0.0.5
                Match all
                    Port 2201
                """);

        Hop lab = c.resolve("lab1", null, null);
        Hop skip = c.resolve("skip1", null, null);

        assertThat(lab.hostName()).isEqualTo("10.0.0.5");
        assertThat(lab.port()).isEqualTo(2201);
        assertThat(lab.user()).as("host is matched against the HostName known so far: none yet")
                .isEqualTo(System.getProperty("user.name"));
        assertThat(c.resolve("10.0.0.7", null, null).user()).isEqualTo("fromhost");
        assertThat(skip.port()).isEqualTo(2201);
        assertThat(warnings).singleElement().asString().startsWith(file() + ":3: Match exec \"test -e /nonexistent\""
                + " is not evaluated by ctys");
    }

    @Test
    void includeReadsFilesInPlaceAndOnlyWhereItsBlockApplies() throws Exception {
        Files.createDirectories(home.resolve(".ssh/conf.d"));
        Files.writeString(home.resolve(".ssh/conf.d/10-lab.conf"), "Host lab\n    HostName 10.0.0.10\n");
        Files.writeString(home.resolve(".ssh/conf.d/20-more.conf"), "Port 2210\n");
        Files.writeString(home.resolve(".ssh/conf.d/skipped.txt"), "Port 1\n");
        Files.writeString(home.resolve(".ssh/only-gw.conf"), "User gwuser\n");
        SshConfig c = config("""
                Host gw
                    Include only-gw.conf
                Host *
                    Include conf.d/*.conf
                    User everyone
                """);

        Hop lab = c.resolve("lab", null, null);
        Hop gw = c.resolve("gw", null, null);

        assertThat(lab.hostName()).isEqualTo("10.0.0.10");
        assertThat(lab.port()).as("20-more.conf follows Host lab in 10-lab.conf: it applies to lab only").isEqualTo(2210);
        assertThat(lab.user()).as("after the Include the state of Host * is back").isEqualTo("everyone");
        assertThat(gw.user()).isEqualTo("gwuser");
        assertThat(gw.port()).isEqualTo(22);
        assertThat(c.resolve("other", null, null).user()).isEqualTo("everyone");
    }

    @Test
    void anIncludeOfItselfIsAConfigErrorNotAStackOverflow() throws Exception {
        assertThatThrownBy(() -> config("Include config\n")).isInstanceOfSatisfying(SshFailure.class,
                f -> assertThat(f.getMessage()).contains("Include nested more than 16 levels"));
    }

    @Test
    void quotesEqualsSignsAndCommentsAreReadAsOpenSshReadsThem() throws Exception {
        SshConfig c = config("""
                # a comment
                Host "lab one" lab=2
                  HostName=10.0.0.1
                  IdentityFile "~/.ssh/my key" # trailing comment
                  User = "ops"
                """);

        Hop h = c.resolve("lab one", null, null);

        assertThat(h.hostName()).isEqualTo("10.0.0.1");
        assertThat(h.identities()).containsExactly(home.resolve(".ssh/my key"));
        assertThat(h.user()).isEqualTo("ops");
        assertThatThrownBy(() -> config("Host x\n  User \"unterminated\n")).hasMessageContaining(file() + ":2: unterminated quote");
    }

    @Test
    void ipv6JumpHostsInBracketsOrBareAndScopedLinkLocalAddresses() throws Exception {
        SshConfig c = config("Host inner\n    ProxyJump [::1]:2222,admin@[fe80::1%v0]:22,::1\n");

        Hop inner = c.resolve("inner", null, null);
        List<String> specs = SshConfig.splitJumps(inner.proxyJump());
        Hop first = c.resolveJump(specs.get(0));
        Hop scoped = c.resolveJump(specs.get(1));
        Hop bare = c.resolveJump(specs.get(2));

        assertThat(first.hostName()).isEqualTo("::1");
        assertThat(first.port()).isEqualTo(2222);
        assertThat(first.knownHostsName()).isEqualTo("[::1]:2222");
        assertThat(first.address()).endsWith("@[::1]:2222");
        assertThat(scoped.user()).isEqualTo("admin");
        assertThat(scoped.hostName()).isEqualTo("fe80::1%v0");
        assertThat(scoped.port()).isEqualTo(22);
        assertThat(scoped.knownHostsName()).isEqualTo("fe80::1%v0");
        assertThat(bare.hostName()).isEqualTo("::1");
        assertThat(bare.port()).isEqualTo(22);
        assertThat(JumpSpec.parseOrNull("user@[::1]:2222")).isEqualTo(new JumpSpec("user", "::1", 2222));
        assertThat(JumpSpec.parseOrNull("gw:2200")).isEqualTo(new JumpSpec(null, "gw", 2200));
        assertThat(JumpSpec.parseOrNull("ab:22")).as("one colon is a port, not IPv6").isEqualTo(new JumpSpec(null, "ab", 22));
        for (String bad : List.of("::1:", "[::1]:", "[::1]x", "-oProxyCommand=x", "gw:0", "gw:65536", "@gw", "[::1", "a b")) {
            assertThat(JumpSpec.parseOrNull(bad)).as(bad).isNull();
        }
        assertThatThrownBy(() -> config("Host x\n  ProxyJump gw:http\n").resolve("x", null, null))
                .hasMessageContaining(file() + ":2: ProxyJump: bad jump host 'gw:http'");
    }

    @Test
    void withoutMinusFTheSystemConfigIsReadAfterTheUsersAndEachFileStartsAfresh() throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/config"), "Host lab\n    Port 2200\nHost never\n    User nobody\n");
        Path etc = Files.createDirectories(home.resolve("etc-ssh"));
        Files.writeString(etc.resolve("ssh_config"), "Include ssh_config.d/*.conf\nHost *\n    Port 9\n");
        Files.createDirectories(etc.resolve("ssh_config.d"));
        Files.writeString(etc.resolve("ssh_config.d/bastion.conf"), "Host lab\n    ProxyCommand nc -X connect %h %p\n");
        SshOptions o = new SshOptions(null, home, false, Duration.ofSeconds(1), Duration.ofSeconds(1), null, false, warnings::add);

        Hop lab = SshConfig.load(o, new Warnings(warnings::add), etc.resolve("ssh_config")).resolve("lab", null, null);
        Hop other = SshConfig.load(o, new Warnings(warnings::add), etc.resolve("ssh_config")).resolve("other", null, null);
        SshOptions minusF = new SshOptions(home.resolve(".ssh/config"), home, false, Duration.ofSeconds(1),
                Duration.ofSeconds(1), null, false, warnings::add);
        Hop onlyF = SshConfig.load(minusF, new Warnings(warnings::add), etc.resolve("ssh_config")).resolve("lab", null, null);

        assertThat(lab.port()).isEqualTo(2200);
        assertThat(lab.proxyCommand().command()).isEqualTo("nc -X connect lab 2200");
        assertThat(other.port()).isEqualTo(9);
        assertThat(onlyF.proxyCommand()).isNull();
    }
}
