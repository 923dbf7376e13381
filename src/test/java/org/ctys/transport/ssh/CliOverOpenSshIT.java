package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * ctys as a sysadmin runs it (a separate process, HOME with its own ~/.ssh) against real OpenSSH:
 * commands on several hosts with output folded, JSON, host keys, a two-hop chain given with -J,
 * and PM CREATE waiting for an SSH login (SSHPING).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class CliOverOpenSshIT {
    private Path work;
    private Path home;
    private Path key;
    private OpenSshd one;
    private OpenSshd two;
    private int deadPort;
    private JumpLab lab;
    private final List<OpenSshd> chain = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        Tools.requireRoot();
        Tools.require("/usr/sbin/sshd", "openssh-server");
        Tools.require("/usr/bin/ssh-keygen", "openssh-client");
        Tools.require("/usr/sbin/ip", "iproute2");
        work = Files.createTempDirectory("ctys-cli-ssh-it");
        key = work.resolve("lab_key");
        Tools.ok("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        one = OpenSshd.start(work.resolve("one"), null, "127.0.0.1", Tools.freePort(), Path.of(key + ".pub"));
        two = OpenSshd.start(work.resolve("two"), null, "127.0.0.1", Tools.freePort(), Path.of(key + ".pub"));
        deadPort = Tools.freePort();
        lab = JumpLab.create();
        chain.add(OpenSshd.start(work.resolve("a"), JumpLab.A, JumpLab.A_ADDR, 22, Path.of(key + ".pub")));
        chain.add(OpenSshd.start(work.resolve("b"), JumpLab.B, JumpLab.B_ADDR, 22, Path.of(key + ".pub")));
        chain.add(OpenSshd.start(work.resolve("c"), JumpLab.C, JumpLab.C_ADDR, 22, Path.of(key + ".pub")));
    }

    @AfterAll
    void stop() {
        chain.forEach(OpenSshd::kill);
        if (one != null) one.kill();
        if (two != null) two.kill();
        if (lab != null) lab.close();
    }

    @BeforeEach
    void freshHome() throws Exception {
        home = Files.createTempDirectory(work, "home");
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Files.copy(key, ssh.resolve("id_ed25519"));
        Files.writeString(ssh.resolve("config"), """
                Host lab*
                    HostName 127.0.0.1
                    Port %d
                    User root
                Host other*
                    HostName 127.0.0.1
                    Port %d
                    User root
                Host dead
                    HostName 127.0.0.1
                    Port %d
                """.formatted(one.port, two.port, deadPort));
    }

    private void trust(OpenSshd... servers) throws IOException {
        for (OpenSshd s : servers) {
            Files.writeString(home.resolve(".ssh/known_hosts"), s.knownHostsLine() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

            private CtysProcess.Run ctys(String... args) throws Exception {
        return CtysProcess.run(home, Map.of(), null, args);
    }

    @Test
    void identicalOutputIsFoldedAndDifferentOutputSplit() throws Exception {
        trust(one, two);
        // the server's port ends SSH_CONNECTION: the lab hosts print one thing, other1 another
        CtysProcess.Run r = ctys("-q", "-t", "cli", "-a", "create=cmd:echo ${SSH_CONNECTION##* }", "lab[1-3]", "other1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("lab[1-3] (exit 0)\n---------------\n" + one.port + "\n")
                .contains("other1 (exit 0)\n---------------\n" + two.port + "\n");
    }

    @Test
    void aFailingCommandMakesTheExitStatusOneAndJsonKeepsEverything() throws Exception {
        trust(one);
        CtysProcess.Run text = ctys("-q", "-t", "cli", "-a", "create=cmd:echo out; echo err >&2; exit 3", "lab1", "lab2");
        assertThat(text.exit()).isEqualTo(1);
        assertThat(text.out()).contains("lab[1-2] (exit 3)").contains("out\nerr\n");
        CtysProcess.Run json = ctys("-q", "--output", "json", "-t", "cli", "-a", "create=cmd:echo out; echo err >&2; exit 3", "lab1");
        JsonNode result = new ObjectMapper().readTree(json.out()).get("reports").get(0).get("results").get(0);
        assertThat(result.get("stdout").asText()).isEqualTo("out\n");
        assertThat(result.get("stderr").asText()).isEqualTo("err\n");
        assertThat(result.get("exitStatus").asInt()).isEqualTo(3);
        assertThat(result.get("ok").asBoolean()).isFalse();
    }

    @Test
    void anUnknownHostKeyIsExitThreeAndNothingRunsThere() throws Exception {
        Path marker = work.resolve("marker-" + System.nanoTime());
        CtysProcess.Run r = ctys("-q", "-X", "-t", "cli", "-a", "create=cmd:touch " + marker, "lab1");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).startsWith("lab1;CONFIG;host-key;").contains("--accept-new-host-keys");
        assertThat(marker).doesNotExist();
        CtysProcess.Run accepted = ctys("-q", "--accept-new-host-keys", "-t", "cli", "-a", "create=cmd:touch " + marker, "lab1");
        assertThat(accepted.exit()).as(accepted.out() + accepted.err()).isZero();
        assertThat(marker).exists();
    }

    @Test
    void minusJCrossesTwoHopsInOpenSshOrder() throws Exception {
        trust(chain.toArray(new OpenSshd[0]));
        CtysProcess.Run r = ctys("-q", "-l", "root", "-J", JumpLab.A_ADDR + "," + JumpLab.B_ADDR, "-t", "cli", "-a",
                "create=cmd:ip -4 -o addr show", JumpLab.C_ADDR);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains(JumpLab.C_ADDR + "/");
        CtysProcess.Run reversed = ctys("-q", "-l", "root", "-J", JumpLab.B_ADDR + "," + JumpLab.A_ADDR, "--timeout", "60s", "-t", "cli",
                "-a", "create=cmd:true", JumpLab.C_ADDR);
        assertThat(reversed.exit()).isEqualTo(1);
    }

    @Test
    void pmCreateWaitsForAnSshLogin() throws Exception {
        trust(one);
        CtysProcess.Run up = ctys("-q", "-X", "-t", "pm", "-a",
                "create=wol,bmac:02:00:00:00:00:09,broadcast:127.0.0.1,ping:off,sshping:5%1,t:lab1");
        assertThat(up.exit()).as(up.out() + up.err()).isZero();
        assertThat(up.out()).startsWith("lab1;ok;ssh;").contains("accepts SSH logins");
        CtysProcess.Run dead = ctys("-q", "-X", "-t", "pm", "-a",
                "create=wol,bmac:02:00:00:00:00:09,broadcast:127.0.0.1,ping:off,sshping:2%1,t:dead");
        assertThat(dead.exit()).isEqualTo(1);
        assertThat(dead.out()).startsWith("dead;FAILED;no-ssh;").contains("2 tries");
    }
}
