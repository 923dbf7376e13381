package org.ctys.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctys.testkit.Capture;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.NetLab;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Pcap;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SshKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Waking a machine on a segment the caller cannot reach: the packet is sent from a gateway over
 * SSH (OpenSSH's sshd in the gateway's namespace) and captured on the far segment, byte for byte.
 * Caller ── 10.216.1.0/24 ── gateway ── 10.213.0.0/24 (bridge) ── sniffer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayWakeIT {
    private static final String MAC = "aa:bb:cc:dd:ee:42";
    private static final String GATEWAY_ADDR = "10.216.1.2";

    @TempDir static Path dir;
    private NetLab lab;
    private OpenSshd sshd;
    private CtysRunner ctys;

    @BeforeAll
    void createLab() throws Exception {
        Proc.require("tcpdump", "tcpdump");
        Map<String, String> hosts = new LinkedHashMap<>();
        hosts.put("gw", "10.213.0.1/24");
        hosts.put("sniffer", "10.213.0.2/24");
        lab = NetLab.create("ctysit-gwc", hosts);
        // the caller reaches the gateway, and nothing of the segment behind it
        lab.link("caller", "up0", "10.216.1.1/24", "gw", "down0", GATEWAY_ADDR + "/24");

        Path home = Files.createDirectories(dir.resolve("home"));
        SshKey key = SshKey.generate(home.resolve(".ssh/id_ed25519"));
        sshd = OpenSshd.start(dir.resolve("sshd"), lab.ns("gw"), GATEWAY_ADDR, 22, key.publicKey());
        sshd.trustIn(home);
        ctys = new CtysRunner(home);
    }

    @AfterAll
    void removeLab() {
        if (sshd != null) sshd.kill();
        if (lab != null) lab.close();
    }

    @Test
    void thePacketLeavesFromTheGatewayByteForByte() throws Exception {
        Path pcap = dir.resolve("gw.pcap");
        Capture capture = Capture.start(lab.ns("sniffer"), NetLab.IF, pcap, "udp");
        Proc.Outcome run = ctys.in(lab.ns("caller")).run("-X", "-l", "root", "-t", "pm", "-a",
                "create=wol,bmac:" + MAC + ",broadcast:10.213.0.255,ping:off", GATEWAY_ADDR);
        List<Pcap.Frame> frames = capture.stopUdp();

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith(MAC + ";ok;sent;").contains("sent from " + GATEWAY_ADDR);
        assertThat(frames).singleElement().satisfies(f -> {
            assertThat(f.srcIp()).isEqualTo("10.213.0.1");
            assertThat(f.dstIp()).isEqualTo("10.213.0.255");
            assertThat(f.dstPort()).isEqualTo(9);
            assertThat(f.payload()).isEqualTo(Pcap.magic(MAC, null));
        });
    }

    @Test
    void fromTheCallerItselfTheSegmentCannotBeReached() {
        Proc.Outcome direct = ctys.in(lab.ns("caller")).run("-X", "-t", "pm", "-a", "create=wol,bmac:" + MAC + ",broadcast:10.213.0.255,ping:off");
        assertThat(direct.exit()).isEqualTo(1);
        assertThat(direct.out()).contains("could not be sent");
    }
}
