package org.ctys.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctys.transport.ssh.OpenSshd;
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
    private static final String CALLER = "ctysit-gwc-caller";
    private static final String GATEWAY_ADDR = "10.216.1.2";

    @TempDir static Path dir;
    private NetLab lab;
    private OpenSshd sshd;
    private CtysRunner ctys;

    @BeforeAll
    void createLab() throws Exception {
        Proc.requireTool("tcpdump", "tcpdump");
        Proc.requireTool("sshd", "openssh-server");
        Proc.requireTool("ssh-keygen", "openssh-client");
        Map<String, String> hosts = new LinkedHashMap<>();
        hosts.put("gw", "10.213.0.1/24");
        hosts.put("sniffer", "10.213.0.2/24");
        Proc.quietly("ip", "netns", "del", CALLER);
        lab = NetLab.create("ctysit-gwc", hosts);
        // the caller reaches the gateway, and nothing of the segment behind it
        Proc.ok("ip", "netns", "add", CALLER);
        Proc.ok("ip", "-n", CALLER, "link", "set", "lo", "up");
        for (String dest : List.of("default", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")) {
            Proc.ok("ip", "-n", CALLER, "route", "add", "blackhole", dest);
        }
        Proc.ok("ip", "-n", CALLER, "link", "add", "up0", "type", "veth", "peer", "name", "down0", "netns", lab.ns("gw"));
        Proc.ok("ip", "-n", CALLER, "addr", "add", "10.216.1.1/24", "dev", "up0");
        Proc.ok("ip", "-n", CALLER, "link", "set", "up0", "up");
        Proc.ok("ip", "-n", lab.ns("gw"), "addr", "add", GATEWAY_ADDR + "/24", "dev", "down0");
        Proc.ok("ip", "-n", lab.ns("gw"), "link", "set", "down0", "up");

        Path home = Files.createDirectories(dir.resolve("home"));
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Proc.ok("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ssh.resolve("id_ed25519").toString());
        sshd = OpenSshd.start(dir.resolve("sshd"), lab.ns("gw"), GATEWAY_ADDR, 22, ssh.resolve("id_ed25519.pub"));
        Files.writeString(ssh.resolve("known_hosts"), sshd.knownHostsLine() + "\n");
        ctys = new CtysRunner(home);
    }

    @AfterAll
    void removeLab() {
        if (sshd != null) sshd.kill();
        Proc.quietly("ip", "netns", "del", CALLER);
        if (lab != null) lab.close();
    }

    @Test
    void thePacketLeavesFromTheGatewayByteForByte() throws Exception {
        Path pcap = dir.resolve("gw.pcap");
        Capture capture = Capture.start(lab.ns("sniffer"), NetLab.IF, pcap, "udp");
        Proc.Outcome run = ctys.in(CALLER, "-X", "-l", "root", "-t", "pm", "-a",
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
        Proc.Outcome direct = ctys.in(CALLER, "-X", "-t", "pm", "-a", "create=wol,bmac:" + MAC + ",broadcast:10.213.0.255,ping:off");
        assertThat(direct.exit()).isEqualTo(1);
        assertThat(direct.out()).contains("could not be sent");
    }
}
