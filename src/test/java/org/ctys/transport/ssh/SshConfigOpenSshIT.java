package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * What an -F config and the key files say, side by side with OpenSSH's ssh on the same files:
 * unprotected private keys, ProxyCommand, a bad Port, keywords ctys does not honour, and IPv6
 * literals (an sshd on ::1) in HostName, -J, ProxyJump and known_hosts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class SshConfigOpenSshIT {

    private Path work;
    private Path key;
    private OpenSshd v4;
    private OpenSshd v6;
    private Path home;
    private Path config;
    private Path knownHosts;

    @BeforeAll
    void start() throws Exception {
        Proc.requireRoot();
        Proc.require("/usr/bin/ssh", "openssh-client");
        Proc.require("/usr/bin/socat", "socat");
        String lo = Proc.ok("/usr/sbin/ip", "-6", "addr", "show", "dev", "lo").out();
        assertThat(lo).as("IPv6 on the loopback interface (sysctl net.ipv6.conf.lo.disable_ipv6=0)").contains("inet6 ::1/128");
        work = Files.createTempDirectory("ctys-sshconfig-it");
        key = work.resolve("id_ed25519");
        Proc.ok("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        v4 = OpenSshd.start(work.resolve("v4"), null, "127.0.0.1", Proc.freePort(), Path.of(key + ".pub"));
        v6 = OpenSshd.start(work.resolve("v6"), null, "::1", Proc.freePort(), Path.of(key + ".pub"));
    }

    @AfterAll
    void stop() {
        if (v4 != null) {
            v4.kill();
        }
        if (v6 != null) {
            v6.kill();
        }
        Proc.deleteTree(work);
    }

    @BeforeEach
    void fresh() throws Exception {
        home = Files.createTempDirectory(work, "home");
        Files.createDirectories(home.resolve(".ssh"));
        config = home.resolve("ssh_config");
        knownHosts = home.resolve("known_hosts");
        Files.writeString(knownHosts, v4.knownHostsLine() + "\n" + v6.knownHostsLine() + "\n");
    }

    private void config(String hosts) throws Exception {
        Files.writeString(config, hosts + """

                Host *
                    User root
                    UserKnownHostsFile %s
                    GlobalKnownHostsFile /dev/null
                    IdentityFile %s
                """.formatted(knownHosts, key));
    }

    private Proc.Outcome ssh(String... args) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ssh", "-F", config.toString(), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes"));
        cmd.addAll(List.of(args));
        return Proc.quietly(cmd.toArray(String[]::new));
    }

    /** ctys with terse records (-X): one line per target with its state and message. */
    private Proc.Outcome ctys(String... args) throws Exception {
        return run("-X", args);
    }

    /** ctys with its text report, which shows what the commands printed. */
    private Proc.Outcome ctysText(String... args) throws Exception {
        return run(null, args);
    }

    private Proc.Outcome run(String format, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("-q", "-F", config.toString()));
        if (format != null) {
            cmd.add(format);
        }
        cmd.addAll(List.of(args));
        return new CtysRunner(home).run(cmd.toArray(String[]::new));
    }

    private Path privateCopy(String name, String mode) throws Exception {
        Path p = home.resolve(name);
        Files.copy(key, p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    @Test
    void aPrivateKeyOthersCanReadIsIgnoredByBothAndWithoutAnotherKeyTheLoginFails() throws Exception {
        Path open = privateCopy("open_key", "rw-r--r--");
        Files.writeString(config, """
                Host lab
                    HostName 127.0.0.1
                    Port %d
                    User root
                    UserKnownHostsFile %s
                    IdentityFile %s
                """.formatted(v4.port, knownHosts, open));

        Proc.Outcome ssh = ssh("lab", "true");
        Proc.Outcome ctys = ctys("-t", "cli", "-a", "create=cmd:true", "lab");

        assertThat(ssh.exit()).isEqualTo(255);
        assertThat(ssh.both()).contains("UNPROTECTED PRIVATE KEY FILE").contains("Permissions 0644 for '" + open + "'");
        assertThat(ctys.exit()).isEqualTo(1);
        assertThat(ctys.out()).startsWith("lab;FAILED;").contains("root@127.0.0.1:" + v4.port)
                .contains("UNPROTECTED PRIVATE KEY FILE: permissions 0644 for '" + open + "' are too open");
        assertThat(ctys.err()).contains("ctys: warning: UNPROTECTED PRIVATE KEY FILE: permissions 0644 for '" + open + "'");
    }

    @Test
    void withAnotherKeyBothLogInAndCtysWarnsOnceForTheRun() throws Exception {
        Path open = privateCopy("open_key", "rw-r-----");
        Path good = privateCopy("good_key", "rw-------");
        Files.writeString(config, """
                Host lab*
                    HostName 127.0.0.1
                    Port %d
                    User root
                    UserKnownHostsFile %s
                    IdentityFile %s
                    IdentityFile %s
                """.formatted(v4.port, knownHosts, open, good));

        Proc.Outcome ssh = ssh("lab1", "true");
        Proc.Outcome ctys = ctys("-t", "cli", "-a", "create=cmd:true", "lab1", "lab2");

        assertThat(ssh.exit()).as(ssh.both()).isZero();
        assertThat(ssh.both()).contains("Permissions 0640 for '" + open + "' are too open");
        assertThat(ctys.exit()).as(ctys.out() + ctys.err()).isZero();
        assertThat(ctys.err().lines().filter(l -> l.contains("UNPROTECTED PRIVATE KEY FILE")))
                .singleElement().asString().contains("permissions 0640 for '" + open + "'");
    }

    @Test
    void aProxyCommandCarriesTheSessionForBothAndNothingConnectsDirectly() throws Exception {
        try (ServerSocket watched = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
            // HostName and Port name the watched socket; only the proxy knows where sshd listens.
            config("""
                    Host viaproxy
                        HostName 127.0.0.1
                        Port %d
                        ProxyCommand /usr/bin/socat STDIO TCP:%%h:%d
                    """.formatted(watched.getLocalPort(), v4.port));
            Files.writeString(knownHosts, "[127.0.0.1]:" + watched.getLocalPort() + " "
                    + v4.knownHostsLine().split(" ", 2)[1] + "\n");

            Proc.Outcome ssh = ssh("viaproxy", "echo", "$SSH_CONNECTION");
            Proc.Outcome ctys = ctysText("-t", "cli", "-a", "create=cmd:echo $SSH_CONNECTION", "viaproxy");

            assertThat(ssh.exit()).as(ssh.both()).isZero();
            assertThat(ctys.exit()).as(ctys.out() + ctys.err()).isZero();
            assertThat(ctys.out()).contains(" 127.0.0.1 " + v4.port);
            watched.setSoTimeout(200);
            assertThatThrownBy(watched::accept).as("nobody connected to HostName:Port directly")
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aProxyCommandThatCannotReachTheHostFailsForBothAndNothingElseIsTried() throws Exception {
        config("""
                Host viaproxy
                    HostName 127.0.0.1
                    Port %d
                    ProxyCommand /usr/bin/socat STDIO TCP:127.0.0.1:%d
                """.formatted(v4.port, Proc.freePort()));

        assertThat(ssh("viaproxy", "true").exit()).isEqualTo(255);
        Proc.Outcome ctys = ctys("-t", "cli", "-a", "create=cmd:true", "viaproxy");

        assertThat(ctys.exit()).isEqualTo(1);
        assertThat(ctys.out()).contains("via its ProxyCommand (" + config + ":4)").contains("exited with status 1");
    }

    @Test
    void aBadPortIsAConfigErrorNamingFileLineAndValueForBoth() throws Exception {
        config("Host lab\n    HostName 127.0.0.1\n    Port notaport\n");

        Proc.Outcome ssh = ssh("lab", "true");
        Proc.Outcome ctys = ctys("-t", "cli", "-a", "create=cmd:true", "lab");

        assertThat(ssh.exit()).isEqualTo(255);
        assertThat(ssh.both()).contains(config + " line 3").contains("notaport");
        assertThat(ctys.exit()).isEqualTo(3);
        assertThat(ctys.out()).startsWith("lab;CONFIG;ssh-config;")
                .contains(config + ":3: bad Port 'notaport': expected a number 1-65535")
                .doesNotContain("For input string").doesNotContain("host key");
    }

    @Test
    void aKeywordCtysDoesNotHonourIsWarnedAboutOnceAndTheRunGoesOn() throws Exception {
        config("""
                Host lab*
                    HostName 127.0.0.1
                    Port %d
                    AddressFamily inet
                    StrictHostKeyChecking no
                """.formatted(v4.port));

        Proc.Outcome ctys = ctys("-t", "cli", "-a", "create=cmd:true", "lab1", "lab2");

        assertThat(ctys.exit()).as(ctys.out() + ctys.err()).isZero();
        assertThat(ctys.err().lines().filter(l -> l.startsWith("ctys: warning: ")).toList()).containsExactly(
                "ctys: warning: " + config + ":4: addressfamily inet is not honoured by ctys; it connects as if the line were not there",
                "ctys: warning: " + config + ":5: StrictHostKeyChecking no is not honoured: ctys checks host keys as"
                        + " StrictHostKeyChecking=yes (accept-new with --accept-new-host-keys)");
    }

    @Test
    void anIpv6HostNameConnectsAndIsLookedUpBracketedWithItsPort() throws Exception {
        config("Host v6\n    HostName ::1\n    Port %d\n".formatted(v6.port));

        Proc.Outcome ssh = ssh("v6", "echo", "$SSH_CONNECTION");
        Proc.Outcome ctys = ctysText("-t", "cli", "-a", "create=cmd:echo $SSH_CONNECTION", "v6");

        assertThat(ssh.exit()).as(ssh.both()).isZero();
        assertThat(ctys.exit()).as(ctys.out() + ctys.err()).isZero();
        assertThat(ctys.out()).contains("::1 " + v6.port);
    }

    @Test
    void acceptNewWritesTheIpv6EntryAsSshWritesItAndSshTrustsIt() throws Exception {
        Files.writeString(knownHosts, "");
        config("Host v6\n    HostName ::1\n    Port %d\n".formatted(v6.port));

        Proc.Outcome ctys = ctys("--accept-new-host-keys", "-t", "cli", "-a", "create=cmd:true", "v6");

        assertThat(ctys.exit()).as(ctys.out() + ctys.err()).isZero();
        assertThat(Files.readAllLines(knownHosts)).containsExactly(v6.knownHostsLine());
        assertThat(v6.knownHostsLine()).startsWith("[::1]:" + v6.port + " ");
        assertThat(ssh("v6", "true").exit()).isZero();
    }

    @Test
    void minusJWithABracketedIpv6JumpHostAsSshTakesIt() throws Exception {
        config("Host inner\n    HostName 127.0.0.1\n    Port %d\n".formatted(v4.port));
        String jump = "root@[::1]:" + v6.port;

        Proc.Outcome ssh = ssh("-J", jump, "inner", "echo", "$SSH_CONNECTION");
        Proc.Outcome ctys = ctysText("-J", jump, "-t", "cli", "-a", "create=cmd:echo $SSH_CONNECTION", "inner");

        assertThat(ssh.exit()).as(ssh.both()).isZero();
        assertThat(ctys.exit()).as(ctys.out() + ctys.err()).isZero();
        // the inner sshd sees the connection coming from the jump host's forward, on IPv4 loopback
        assertThat(ctys.out()).contains(" 127.0.0.1 " + v4.port);
    }

    @Test
    void proxyJumpWithAnIpv6JumpHostInTheConfig() throws Exception {
        config("Host inner\n    HostName 127.0.0.1\n    Port %d\n    ProxyJump [::1]:%d\n".formatted(v4.port, v6.port));
        // the jump host is the only way in: its key must be checked as [::1]:port
        Files.writeString(knownHosts, v4.knownHostsLine() + "\n");

        Proc.Outcome unknownJump = ctys("-t", "cli", "-a", "create=cmd:true", "inner");
        assertThat(unknownJump.exit()).isEqualTo(3);
        assertThat(unknownJump.out()).contains("unknown host key for ::1 port " + v6.port);

        Files.writeString(knownHosts, v4.knownHostsLine() + "\n" + v6.knownHostsLine() + "\n");
        Proc.Outcome ctys = ctys("-t", "cli", "-a", "create=cmd:true", "inner");
        assertThat(ctys.exit()).as(ctys.out() + ctys.err()).isZero();
        assertThat(ssh("inner", "true").exit()).isZero();
    }
}
