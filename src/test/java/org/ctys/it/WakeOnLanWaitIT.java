package org.ctys.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ctys.testkit.Capture;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.NetLab;
import org.ctys.testkit.Pcap;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Waiting for a machine to come up, against real hosts: one that "boots" (gets its address) a
 * few seconds after its magic packet arrives, one that never answers, and one that is up
 * already. A sniffer on the segment shows whether a packet was sent at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WakeOnLanWaitIT {
    private static final String SLEEPER_IP = "10.213.0.21";
    private static final String SLEEPER_MAC = "aa:bb:cc:dd:ee:21";
    private static final String BOOT_SECONDS = "3";

    @TempDir static Path dir;
    private NetLab lab;
    private CtysRunner ctys;

    @BeforeAll
    void createLab() throws IOException {
        Proc.require("tcpdump", "tcpdump");
        Map<String, String> hosts = new LinkedHashMap<>();
        hosts.put("sender", "10.213.0.1/24");
        hosts.put("sniffer", "10.213.0.2/24");
        hosts.put("sleeper", null);
        lab = NetLab.create("ctysit-wait", hosts);
        Path inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                machines:
                  sleeper: {host: %s, mac: "%s"}
                  ghost:   {host: 10.213.0.99, mac: "aa:bb:cc:dd:ee:99", wol: {broadcast: 10.213.0.255}}
                  awake:   {host: 10.213.0.2, mac: "aa:bb:cc:dd:ee:02", wol: {broadcast: 10.213.0.255}}
                """.formatted(SLEEPER_IP, SLEEPER_MAC), StandardCharsets.UTF_8);
        ctys = new CtysRunner(Files.createDirectories(dir.resolve("home"))).inventory(inventory);
    }

    @AfterAll
    void removeLab() {
        if (lab != null) lab.close();
    }

    @Test
    void wakesAMachineAndWaitsUntilItAnswers() {
        lab.flushAddresses("sleeper");
        // The sleeper "boots" when its own magic packet arrives: BOOT_SECONDS later it has its address.
        String magicForMe = "udp dst port 9 and ether dst ff:ff:ff:ff:ff:ff and udp[8:4] = 0xffffffff"
                + " and udp[14:4] = 0x" + SLEEPER_MAC.replace(":", "").substring(0, 8);
        StringBuffer bootLog = new StringBuffer();
        Process boot = Proc.startAwaiting("listening on", bootLog, List.of("ip", "netns", "exec", lab.ns("sleeper"),
                "timeout", "40", "sh", "-c", "tcpdump -Z root -n --immediate-mode -c 1 -i " + NetLab.IF + " '" + magicForMe
                        + "' && sleep " + BOOT_SECONDS + " && ip addr add " + SLEEPER_IP + "/24 brd + dev " + NetLab.IF));
        try {
            Proc.Outcome o = ctys.in(ns("sender")).run("-t", "pm", "-a", "create=wol,broadcast:10.213.0.255,ping:20%1",
                    "-X", "sleeper");
            assertThat(o.exit()).as("%s\nsleeper: %s", o, bootLog).isZero();
            String[] record = single(o);
            assertThat(record[0]).isEqualTo("sleeper");
            assertThat(record[1]).isEqualTo("ok");
            assertThat(record[2]).isEqualTo("up");
            assertThat(Double.parseDouble(record[3])).as("seconds until up, %s", o).isGreaterThanOrEqualTo(2.0);
            assertThat(record[4]).startsWith("answers after");
            assertThat(o.took()).isLessThan(Duration.ofSeconds(20));
            assertThat(boot.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(boot.exitValue()).as("the sleeper got its magic packet and booted: %s", bootLog).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            Proc.stop(boot);
            lab.flushAddresses("sleeper");
        }
    }

    @Test
    void failsWhenTheMachineNeverAnswers() throws IOException {
        List<Proc.Outcome> runs = new ArrayList<>();
        List<Pcap.Frame> sent = sniff(() -> runs.add(ctys.in(ns("sender")).limit(Duration.ofSeconds(30)).run(
                "-t", "pm", "-a", "create=wol,ping:3%1", "--output", "json", "ghost")));
        Proc.Outcome o = runs.get(0);
        assertThat(o.exit()).as("%s", o).isEqualTo(1);
        assertThat(o.took()).as("3 tries 1 s apart, plus the first question").isLessThan(Duration.ofSeconds(20));
        JsonNode doc = new ObjectMapper().readTree(o.out());
        assertThat(doc.path("status").asInt()).isEqualTo(1);
        JsonNode result = doc.path("reports").path(0).path("results").path(0);
        assertThat(result.path("target").asText()).isEqualTo("ghost");
        assertThat(result.path("ok").asBoolean()).isFalse();
        assertThat(result.path("state").asText()).isEqualTo("no-answer");
        assertThat(result.path("message").asText()).contains("10.213.0.99").contains("did not answer").contains("3 tries");
        assertThat(sent).as("the packet was sent before waiting").hasSize(1);
        assertThat(HexFormat.ofDelimiter(":").formatHex(sent.get(0).payload(), 6, 12)).isEqualTo("aa:bb:cc:dd:ee:99");
    }

    @Test
    void sendsNothingToAMachineThatIsAlreadyUp() {
        for (String action : List.of("create=wol,ping:3%1", "create=reuse,ping:3%1")) {
            List<Proc.Outcome> runs = new ArrayList<>();
            List<Pcap.Frame> sent = sniff(() -> runs.add(ctys.in(ns("sender")).run("-t", "pm", "-a", action, "-X", "awake")));
            Proc.Outcome o = runs.get(0);
            assertThat(o.exit()).as("%s", o).isZero();
            String[] record = single(o);
            assertThat(record[1]).isEqualTo("ok");
            assertThat(record[2]).isEqualTo("up");
            assertThat(record[4]).contains("already up").contains("nothing sent");
            assertThat(sent).as("no magic packet for a machine that is up (%s)", action).isEmpty();
        }
    }

    @Test
    void connectFailsOnADownMachineAndSendsNothing() {
        List<Proc.Outcome> runs = new ArrayList<>();
        List<Pcap.Frame> sent = sniff(() -> {
            runs.add(ctys.in(ns("sender")).run("-t", "pm", "-a", "create=connect", "-X", "ghost"));
            runs.add(ctys.in(ns("sender")).run("-t", "pm", "-a", "create=connect", "-X", "awake"));
        });
        Proc.Outcome down = runs.get(0);
        assertThat(down.exit()).as("%s", down).isEqualTo(1);
        assertThat(single(down)[2]).isEqualTo("down");
        assertThat(single(down)[4]).contains("does not answer");
        Proc.Outcome up = runs.get(1);
        assertThat(up.exit()).as("%s", up).isZero();
        assertThat(single(up)[2]).isEqualTo("up");
        assertThat(sent).as("CONNECT never wakes").isEmpty();
    }

    /**
     * A wake that waits for an SSH login, with an SSH configuration that would refuse that login (a malformed line): the
     * configuration is read before anything is sent, so the machine is not woken for a wait that cannot succeed (exit 3,
     * as for any configuration error).
     */
    @Test
    void anSshConfigThatRefusesTheLoginStopsTheWakeBeforeAnyPacket() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home-badssh/.ssh")).getParent();
        Files.writeString(home.resolve(".ssh/config"), "Host ghost\n    Port notaport\n");
        Files.setPosixFilePermissions(home.resolve(".ssh/config"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        List<Proc.Outcome> runs = new ArrayList<>();
        List<Pcap.Frame> sent = sniff(() -> runs.add(new CtysRunner(home).inventory(dir.resolve("inventory.yaml")).in(ns("sender"))
                .limit(Duration.ofSeconds(30)).run("-t", "pm", "-a", "create=wol,sshping:3%1", "-X", "ghost")));
        Proc.Outcome o = runs.get(0);
        assertThat(o.exit()).as("%s", o).isEqualTo(3);
        String[] record = single(o);
        assertThat(record[2]).isEqualTo("ssh-config");
        assertThat(record[4]).contains(".ssh/config:2").contains("Port 'notaport'");
        assertThat(sent).as("no magic packet").isEmpty();

        // the dry run refuses it the same way, after its plan
        Proc.Outcome dry = new CtysRunner(home).inventory(dir.resolve("inventory.yaml")).limit(Duration.ofSeconds(30))
                .run("-t", "pm", "-a", "create=wol,sshping:3%1", "-n", "ghost");
        assertThat(dry.exit()).as("%s", dry).isEqualTo(3);
        assertThat(dry.out()).contains("ghost").contains("CONFIG").contains("ssh-config").contains("Port 'notaport'");
    }

    @Test
    void theOverallTimeoutEndsTheWaitWith124() {
        Proc.Outcome o = ctys.in(ns("sender")).limit(Duration.ofSeconds(30)).run(
                "-t", "pm", "-a", "create=wol,ping:30%1", "--timeout", "2s", "-X", "ghost");
        assertThat(o.exit()).as("%s", o).isEqualTo(124);
        assertThat(o.took()).as("--timeout 2s, not 30 tries").isLessThan(Duration.ofSeconds(10));
        String[] record = single(o);
        assertThat(record[1]).isEqualTo("TIMEOUT");
        assertThat(record[2]).isEqualTo("timed-out");
        assertThat(record[4]).contains("--timeout");
    }

    private String ns(String host) { return lab.ns(host); }

    private List<Pcap.Frame> sniff(Runnable action) {
        try (Capture c = Capture.start(ns("sniffer"), NetLab.IF, dir.resolve("capture.pcap"), "udp")) {
            action.run();
            return c.stopUdp();
        }
    }

    /** The one -X record of a run: target;status;state;seconds;message. */
    private static String[] single(Proc.Outcome o) {
        List<String> lines = o.out().lines().toList();
        assertThat(lines).as("%s", o).hasSize(1);
        String[] f = lines.get(0).split(";", 5);
        assertThat(f).as("%s", o).hasSize(5);
        return f;
    }
}
