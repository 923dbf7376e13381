package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.NetLab;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SshKey;
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
    private NetLab lab;
    private NetLab.Hop hopA;
    private NetLab.Hop hopB;
    private NetLab.Hop hopC;
    private final List<OpenSshd> chain = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("ctys-cli-ssh-it");
        key = SshKey.generate(work.resolve("lab_key")).privateKey();
        one = OpenSshd.onLoopback(work.resolve("one"), Path.of(key + ".pub"));
        two = OpenSshd.onLoopback(work.resolve("two"), Path.of(key + ".pub"));
        deadPort = Proc.freePort();
        // root - a - b - c, each reachable only from the one before it
        lab = NetLab.create("ctyscli");
        List<NetLab.Hop> hops = lab.chain("10.217", "a", "b", "c");
        hopA = hops.get(0);
        hopB = hops.get(1);
        hopC = hops.get(2);
        for (NetLab.Hop hop : hops) {
            chain.add(OpenSshd.start(work.resolve(hop.name()), hop.ns(), hop.address(), 22, Path.of(key + ".pub")));
        }
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
            s.trustIn(home);
        }
    }

    private Proc.Outcome ctys(String... args) {
        return new CtysRunner(home).run(args);
    }

    @Test
    void identicalOutputIsFoldedAndDifferentOutputSplit() throws Exception {
        trust(one, two);
        // the server's port ends SSH_CONNECTION: the lab hosts print one thing, other1 another
        Proc.Outcome r = ctys("-q", "-t", "cli", "-a", "create=cmd:echo ${SSH_CONNECTION##* }", "lab[1-3]", "other1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("lab[1-3] (exit 0)\n---------------\n" + one.port + "\n")
                .contains("other1 (exit 0)\n---------------\n" + two.port + "\n");
    }

    @Test
    void aHostsSessionEndsWithItsLastStepNotWithTheRun() throws Exception {
        trust(one, two);
        // one host at a time: when other1's command runs, lab1's login to server one has ended (sshd sees it go)
        String lab1Gone = "for i in $(seq 50); do ss -Htn state established '( dport = :" + one.port + " )' | grep -q . "
                + "|| { echo lab1-closed; exit 0; }; sleep 0.1; done; echo lab1-still-open";
        Proc.Outcome r = ctys("-q", "--parallel", "1", "-t", "cli", "-a", "create=cmd:" + lab1Gone.replace(",", ",,"), "lab1", "other1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("other1 (exit 0)\n---------------\nlab1-closed\n");
        // lab1 itself ran while its own session was open
        assertThat(r.out()).contains("lab1 (exit 0)\n---------------\nlab1-still-open\n");
    }

    @Test
    void aFailingCommandMakesTheExitStatusOneAndJsonKeepsEverything() throws Exception {
        trust(one);
        Proc.Outcome text = ctys("-q", "-t", "cli", "-a", "create=cmd:echo out; echo err >&2; exit 3", "lab1", "lab2");
        assertThat(text.exit()).isEqualTo(1);
        assertThat(text.out()).contains("lab[1-2] (exit 3)").contains("out\nerr\n");
        Proc.Outcome json = ctys("-q", "--output", "json", "-t", "cli", "-a", "create=cmd:echo out; echo err >&2; exit 3", "lab1");
        JsonNode result = new ObjectMapper().readTree(json.out()).get("reports").get(0).get("results").get(0);
        assertThat(result.get("stdout").asText()).isEqualTo("out\n");
        assertThat(result.get("stderr").asText()).isEqualTo("err\n");
        assertThat(result.get("exitStatus").asInt()).isEqualTo(3);
        assertThat(result.get("ok").asBoolean()).isFalse();
    }

    @Test
    void anUnknownHostKeyIsExitThreeAndNothingRunsThere() throws Exception {
        Path marker = work.resolve("marker-" + System.nanoTime());
        Proc.Outcome r = ctys("-q", "-X", "-t", "cli", "-a", "create=cmd:touch " + marker, "lab1");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).startsWith("lab1;CONFIG;host-key;").contains("--accept-new-host-keys");
        assertThat(marker).doesNotExist();
        Proc.Outcome accepted = ctys("-q", "--accept-new-host-keys", "-t", "cli", "-a", "create=cmd:touch " + marker, "lab1");
        assertThat(accepted.exit()).as(accepted.out() + accepted.err()).isZero();
        assertThat(marker).exists();
    }

    @Test
    void minusJCrossesTwoHopsInOpenSshOrder() throws Exception {
        trust(chain.toArray(new OpenSshd[0]));
        Proc.Outcome r = ctys("-q", "-l", "root", "-J", hopA.address() + "," + hopB.address(), "-t", "cli", "-a",
                "create=cmd:ip -4 -o addr show", hopC.address());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains(hopC.address() + "/");
        Proc.Outcome reversed = ctys("-q", "-l", "root", "-J", hopB.address() + "," + hopA.address(), "--timeout", "60s", "-t", "cli",
                "-a", "create=cmd:true", hopC.address());
        assertThat(reversed.exit()).isEqualTo(1);
    }

    @Test
    void pmCreateWaitsForAnSshLogin() throws Exception {
        trust(one);
        Proc.Outcome up = ctys("-q", "-X", "-t", "pm", "-a",
                "create=wol,bmac:02:00:00:00:00:09,broadcast:127.0.0.1,ping:off,sshping:5%1,t:lab1");
        assertThat(up.exit()).as(up.out() + up.err()).isZero();
        assertThat(up.out()).startsWith("lab1;ok;ssh;").contains("accepts SSH logins");
        Proc.Outcome dead = ctys("-q", "-X", "-t", "pm", "-a",
                "create=wol,bmac:02:00:00:00:00:09,broadcast:127.0.0.1,ping:off,sshping:2%1,t:dead");
        assertThat(dead.exit()).isEqualTo(1);
        assertThat(dead.out()).startsWith("dead;FAILED;no-ssh;").contains("2 tries");
    }
}
