package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.ctys.cli.Ctys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact remote commands the plugins send, seen by an in-process SSH server: the whole of
 * ctys runs (argv to report) and the server records what it was asked to execute.
 */
@Timeout(60)
class PluginCommandsOverMinaTest {

    static {
        SshTransport.quietMina();
    }

    @TempDir
    Path home;
    private MinaServer server;

    record Run(int exit, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        KeyPair key = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        MinaServer.writeIdentity(key, home.resolve(".ssh/id_ed25519"));
        server = new MinaServer(key.getPublic());
        Files.writeString(home.resolve(".ssh/config"), """
                Host gw box*
                    HostName 127.0.0.1
                    Port %d
                    User tester
                """.formatted(server.port()));
        Files.writeString(home.resolve(".ssh/known_hosts"), server.knownHostsLine() + "\n");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Run ctys(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("CTYS_ETHERS", home.resolve("no-ethers").toString());
        env.put("CTYS_SYSTEM_INVENTORY", home.resolve("no-inventory.yaml").toString());
        int status = Ctys.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theCliTypeSendsTheCommandAsWrittenOncePerHost() {
        server.replies(c -> MinaServer.Reply.text("6.1.0\n", "", 0));
        Run r = ctys("-q", "-t", "cli", "-a", "create=cmd:uname -r; echo 'a,,b'", "box[1-3]");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(server.commands).containsExactly("uname -r; echo 'a,b'", "uname -r; echo 'a,b'", "uname -r; echo 'a,b'");
        assertThat(server.users).allMatch("tester"::equals);
        assertThat(r.out()).contains("box[1-3] (exit 0)").contains("6.1.0");
    }

    @Test
    void wakingFromAGatewaySendsThePerlOneLinerWithEveryPacketAsAnArgument() {
        Run r = ctys("-q", "-X", "-t", "pm", "-a", "create=wol,bmac:aa:bb:cc:dd:ee:01,broadcast:10.9.0.255,port:7,ping:off", "gw");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(server.commands).singleElement().satisfies(c -> {
            assertThat(c).startsWith("perl -e 'use Socket;");
            assertThat(c).contains("setsockopt(S,SOL_SOCKET,SO_BROADCAST,1)");
            assertThat(c).endsWith("' aa:bb:cc:dd:ee:01/10.9.0.255/7");
        });
        assertThat(r.out()).startsWith("aa:bb:cc:dd:ee:01;ok;sent;").contains("sent from gw");
    }

    @Test
    void aFailingGatewayCommandFailsTheMachineWithItsFirstErrorLine() {
        server.replies(c -> MinaServer.Reply.text("", "send to 10.9.0.255:9: Network is unreachable\n", 2));
        Run r = ctys("-q", "-X", "-t", "pm", "-a", "create=wol,bmac:aa:bb:cc:dd:ee:01,broadcast:10.9.0.255,ping:off", "gw");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("exit 2: send to 10.9.0.255:9: Network is unreachable");
    }

    @Test
    void sshPingLogsInAndRunsNothing() {
        Run r = ctys("-q", "-X", "-t", "pm", "-a", "create=wol,bmac:aa:bb:cc:dd:ee:01,broadcast:127.0.0.1,ping:off,sshping:3%1,t:box1");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith("box1;ok;ssh;");
        assertThat(server.commands).isEmpty();
        assertThat(server.users).contains("tester");
    }

    @Test
    void escapeSequencesInARemoteErrorNeverReachCtyssOwnLines() {
        String hostile = "\u001b]0;TITLE\u0007\u001b[31mNetwork is unreachable";
        server.replies(c -> MinaServer.Reply.text("", hostile + "\n", 2));
        String escaped = "\\e]0;TITLE\\a\\e[31mNetwork is unreachable";
        for (String format : new String[] {"-X", "--output=text"}) {
            // not quiet: the progress lines on stderr are checked too
            Run r = ctys(format, "-t", "pm", "-a", "create=wol,bmac:aa:bb:cc:dd:ee:01,broadcast:10.9.0.255,ping:off", "gw");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out() + r.err()).doesNotContain("\u001b", "\u0007");
            // -X writes the ';' of a field as ','
            assertThat(r.out()).contains("exit 2: " + (format.equals("-X") ? escaped.replace(';', ',') : escaped));
            assertThat(r.err()).contains("exit 2: " + escaped);
        }
        // the raw output of a command stays raw (as ssh prints it); the lines ctys adds do not
        server.replies(c -> MinaServer.Reply.text("", hostile + "\n", 3));
        Run r = ctys("-t", "cli", "-a", "create=cmd:false", "box1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("box1 (exit 3)\n---------------\n" + hostile + "\n");
        assertThat(r.err()).contains("exit 3: " + escaped).doesNotContain("\u001b", "\u0007");
    }
}
