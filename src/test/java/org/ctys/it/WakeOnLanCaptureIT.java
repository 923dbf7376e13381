package org.ctys.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * What ctys puts on the wire, byte for byte, as a sniffer on the same segment captures it; and
 * that it is what the Debian {@code wakeonlan} tool sends for the same machine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WakeOnLanCaptureIT {
    private static final String SENDER_IP = "10.213.0.1";
    private static final String DIRECTED = "10.213.0.255";
    private static final String MAC = "52:54:00:a1:b2:c3";
    private static final String SECURE_ON_6 = "5e:c4:e7:0f:fa:ce";
    private static final String SECURE_ON_4 = "203.0.113.77";

    @TempDir static Path dir;
    private NetLab lab;
    private CtysRunner ctys;

    @BeforeAll
    void createLab() throws IOException {
        Proc.require("tcpdump", "tcpdump");
        Proc.require("wakeonlan", "wakeonlan");
        Proc.require("etherwake", "etherwake");
        Map<String, String> hosts = new LinkedHashMap<>();
        hosts.put("sender", SENDER_IP + "/24");
        hosts.put("sniffer", "10.213.0.2/24");
        lab = NetLab.create("ctysit-cap", hosts);
        lab.routeLimitedBroadcast("sender");
        Path home = Files.createDirectories(dir.resolve("home"));
        ctys = new CtysRunner(home);
    }

    @AfterAll
    void removeLab() {
        if (lab != null) lab.close();
    }

    // ---------------------------------------------------------------- one machine, named by BMAC

    @Test
    void directedBroadcastToTheDiscardPortByDefault() {
        Pcap.Frame sent = sendOne(() -> ctysOk("-t", "pm", "-a", "create=wol,bmac:" + MAC + ",broadcast:" + DIRECTED));
        assertMagicPacket(sent, MAC, null, DIRECTED, 9);
        assertSameAsWakeonlan(sent, "-i", DIRECTED, "-p", "9", MAC);
    }

    @Test
    void directedBroadcastToAGivenPort() {
        Pcap.Frame sent = sendOne(() -> ctysOk("-t", "pm", "-a", "create=wol,bmac:" + MAC + ",broadcast:" + DIRECTED + ",port:7"));
        assertMagicPacket(sent, MAC, null, DIRECTED, 7);
        assertSameAsWakeonlan(sent, "-i", DIRECTED, "-p", "7", MAC);
    }

    @Test
    void interfaceSendsToItsBroadcastFromItsAddress() {
        Pcap.Frame sent = sendOne(() -> ctysOk("-t", "pm", "-a", "create=wol,bmac:" + MAC + ",if:" + NetLab.IF));
        assertMagicPacket(sent, MAC, null, DIRECTED, 9);
        assertSameAsWakeonlan(sent, "-i", DIRECTED, "-p", "9", MAC);
    }

    @Test
    void limitedBroadcastWhenNothingSaysWhere() {
        Pcap.Frame sent = sendOne(() -> ctysOk("-t", "pm", "-a", "create=wol,bmac:" + MAC));
        assertMagicPacket(sent, MAC, null, "255.255.255.255", 9);
        assertSameAsWakeonlan(sent, MAC); // wakeonlan's own defaults: 255.255.255.255, port 9
    }

    // ---------------------------------------------------------------- SecureOn

    @Test
    void secureOnPasswordOfSixBytesIsAppendedAndNeverShown() throws IOException {
        Path inventory = secureOnInventory("pw6", SECURE_ON_6 + "\n");
        byte[] password = HexFormat.ofDelimiter(":").parseHex(SECURE_ON_6);

        List<Proc.Outcome> runs = new ArrayList<>();
        Pcap.Frame sent = sendOne(() -> {
            Proc.Outcome o = ctys.inventory(inventory).in(ns("sender")).run("-v", "-t", "pm", "-a", "create=wol,ping:off", "-X", "sec01");
            runs.add(o);
            assertThat(o.exit()).as("%s", o).isZero();
        });
        assertThat(sent.payload()).hasSize(108);
        assertThat(java.util.Arrays.copyOfRange(sent.payload(), 102, 108)).isEqualTo(password);
        assertMagicPacket(sent, "aa:bb:cc:dd:ee:50", password, DIRECTED, 9);

        // etherwake appends SecureOn passwords too (in a raw 0x0842 frame): the payload must be the same
        List<Pcap.Frame> raw = capture("ether proto 0x0842", () -> Proc.ok("ip", "netns", "exec", ns("sender"),
                "etherwake", "-i", NetLab.IF, "-b", "-p", SECURE_ON_6, "aa:bb:cc:dd:ee:50"));
        assertThat(raw).hasSize(1);
        assertThat(raw.get(0).payload()).isEqualTo(sent.payload());

        List<Pcap.Frame> planned = capture("udp", () -> {
            runs.add(ctys.inventory(inventory).in(ns("sender")).run("-t", "pm", "-a", "create=wol,ping:off", "-n", "sec01"));
            runs.add(ctys.inventory(inventory).in(ns("sender")).run("-t", "pm", "-a", "create=wol,ping:off", "--output", "json", "sec01"));
        });
        assertThat(planned).as("-n sends nothing, the JSON run sends one packet").hasSize(1);
        Proc.Outcome dryRun = runs.get(1);
        assertThat(dryRun.exit()).as("%s", dryRun).isZero();
        assertThat(dryRun.out()).contains("aa:bb:cc:dd:ee:50").contains("pw6");
        for (Proc.Outcome o : runs) assertNeverShows(o, SECURE_ON_6, password);
    }

    @Test
    void secureOnPasswordOfFourBytes() throws IOException {
        Path inventory = secureOnInventory("pw4", SECURE_ON_4);
        byte[] password = {(byte) 203, 0, 113, 77};
        List<Proc.Outcome> runs = new ArrayList<>();
        Pcap.Frame sent = sendOne(() -> {
            Proc.Outcome o = ctys.inventory(inventory).in(ns("sender")).run("-t", "pm", "-a", "create=wol,ping:off", "sec01");
            runs.add(o);
            assertThat(o.exit()).as("%s", o).isZero();
        });
        assertThat(sent.payload()).hasSize(106);
        assertMagicPacket(sent, "aa:bb:cc:dd:ee:50", password, DIRECTED, 9);
        assertNeverShows(runs.get(0), SECURE_ON_4, password);
    }

    // ---------------------------------------------------------------- several machines from the inventory

    @Test
    void threeMachinesNamedOneByOne() throws IOException {
        assertWakesLab01To03("lab01", "lab02", "lab03");
    }

    @Test
    void threeMachinesAsANodeSet() throws IOException {
        assertWakesLab01To03("lab[01-03]");
    }

    @Test
    void threeMachinesAsAGroup() throws IOException {
        assertWakesLab01To03("@lab");
    }

    private void assertWakesLab01To03(String... targets) throws IOException {
        Path inventory = write("lab.yaml", """
                machines:
                  lab01: {host: 10.213.0.21, mac: "aa:bb:cc:dd:ee:01", wol: {broadcast: 10.213.0.255}}
                  lab02: {host: 10.213.0.22, mac: "aa:bb:cc:dd:ee:02", wol: {broadcast: 10.213.0.255, port: 7}}
                  lab03: {host: 10.213.0.23, mac: "aa:bb:cc:dd:ee:03", wol: {interface: wol0}}
                  other: {host: 10.213.0.24, mac: "aa:bb:cc:dd:ee:04", wol: {broadcast: 10.213.0.255}}
                groups:
                  lab: [lab01, "lab[02-03]"]
                """);
        List<String> args = new ArrayList<>(List.of("-t", "pm", "-a", "create=wol,ping:off", "-X"));
        args.addAll(List.of(targets));
        List<Proc.Outcome> runs = new ArrayList<>();
        List<Pcap.Frame> sent = capture("udp", () -> runs.add(ctys.inventory(inventory).in(ns("sender")).run(args.toArray(new String[0]))));
        Proc.Outcome o = runs.get(0);
        assertThat(o.exit()).as("%s", o).isZero();
        assertThat(o.out().lines().toList()).as("%s", o).hasSize(3)
                .anySatisfy(l -> assertThat(l).startsWith("lab01;ok;sent;"))
                .anySatisfy(l -> assertThat(l).startsWith("lab02;ok;sent;"))
                .anySatisfy(l -> assertThat(l).startsWith("lab03;ok;sent;"));
        assertThat(sent).as("one packet per machine, none for 'other'").hasSize(3);
        Map<String, Pcap.Frame> byMac = new LinkedHashMap<>();
        for (Pcap.Frame f : sent) byMac.put(HexFormat.ofDelimiter(":").formatHex(f.payload(), 6, 12), f);
        assertThat(byMac).containsOnlyKeys("aa:bb:cc:dd:ee:01", "aa:bb:cc:dd:ee:02", "aa:bb:cc:dd:ee:03");
        assertMagicPacket(byMac.get("aa:bb:cc:dd:ee:01"), "aa:bb:cc:dd:ee:01", null, DIRECTED, 9);
        assertMagicPacket(byMac.get("aa:bb:cc:dd:ee:02"), "aa:bb:cc:dd:ee:02", null, DIRECTED, 7);
        assertMagicPacket(byMac.get("aa:bb:cc:dd:ee:03"), "aa:bb:cc:dd:ee:03", null, DIRECTED, 9);

        // the same three machines from a wakeonlan file: the same packets
        Path wolFile = write("lab.wol", """
                aa:bb:cc:dd:ee:01 10.213.0.255 9
                aa:bb:cc:dd:ee:02 10.213.0.255 7
                aa:bb:cc:dd:ee:03 10.213.0.255 9
                """);
        List<Pcap.Frame> reference = capture("udp", () -> Proc.ok("ip", "netns", "exec", ns("sender"), "wakeonlan", "-f", wolFile.toString()));
        assertThat(reference).hasSize(3);
        for (Pcap.Frame r : reference) {
            Pcap.Frame mine = byMac.get(HexFormat.ofDelimiter(":").formatHex(r.payload(), 6, 12));
            assertThat(mine).as("ctys sent a packet for %s", r).isNotNull();
            assertThat(mine.payload()).isEqualTo(r.payload());
            assertThat(mine.dstIp()).isEqualTo(r.dstIp());
            assertThat(mine.dstPort()).isEqualTo(r.dstPort());
        }
    }

    // ---------------------------------------------------------------- /etc/ethers

    @Test
    void macFromTheEthersFile() throws IOException {
        Path ethers = write("ethers", """
                # test ethers
                aa:bb:cc:dd:ee:08  lab08
                02:00:5e:10:00:09  Lab09   # the machine this test wakes
                """);
        CtysRunner noInventory = new CtysRunner(dir.resolve("home")).ethers(ethers);
        List<Proc.Outcome> runs = new ArrayList<>();
        Pcap.Frame sent = sendOne(() -> runs.add(noInventory.in(ns("sender")).run(
                "-t", "pm", "-a", "create=wol,broadcast:" + DIRECTED + ",ping:off", "-X", "lab09")));
        assertThat(runs.get(0).exit()).as("%s", runs.get(0)).isZero();
        assertThat(runs.get(0).out()).startsWith("lab09;ok;sent;");
        assertMagicPacket(sent, "02:00:5e:10:00:09", null, DIRECTED, 9);
        assertSameAsWakeonlan(sent, "-i", DIRECTED, "-p", "9", "02:00:5e:10:00:09");
    }

    // ---------------------------------------------------------------- helpers

    private String ns(String host) { return lab.ns(host); }

    private Path secureOnInventory(String name, String password) throws IOException {
        Path pw = dir.resolve(name);
        Files.writeString(pw, password, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        return write(name + ".yaml", """
                machines:
                  sec01:
                    host: 10.213.0.50
                    mac: "aa:bb:cc:dd:ee:50"
                    wol: {broadcast: 10.213.0.255, secureon-file: %s}
                """.formatted(pw));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private Proc.Outcome ctysOk(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("-X");
        Proc.Outcome o = ctys.in(ns("sender")).run(all.toArray(new String[0]));
        assertThat(o.exit()).as("%s", o).isZero();
        assertThat(o.out()).as("%s", o).contains(";ok;sent;");
        return o;
    }

    private List<Pcap.Frame> capture(String filter, Runnable action) {
        try (Capture c = Capture.start(ns("sniffer"), NetLab.IF, dir.resolve("capture.pcap"), filter)) {
            action.run();
            return filter.equals("udp") ? c.stopUdp() : c.stop();
        }
    }

    private Pcap.Frame sendOne(Runnable action) {
        List<Pcap.Frame> frames = capture("udp", action);
        assertThat(frames).as("exactly one UDP packet on the wire").hasSize(1);
        return frames.get(0);
    }

    private static void assertMagicPacket(Pcap.Frame f, String mac, byte[] secureOn, String dstIp, int port) {
        assertThat(f.dstMacText()).as("Ethernet destination of %s", f).isEqualTo("ff:ff:ff:ff:ff:ff");
        assertThat(f.etherType()).isEqualTo(0x0800);
        assertThat(f.srcIp()).as("source of %s", f).isEqualTo(SENDER_IP);
        assertThat(f.dstIp()).as("destination of %s", f).isEqualTo(dstIp);
        assertThat(f.dstPort()).as("UDP port of %s", f).isEqualTo(port);
        assertThat(f.payload()).as("payload of %s", f).hasSize(secureOn == null ? 102 : 102 + secureOn.length)
                .isEqualTo(Pcap.magic(mac, secureOn));
    }

    /** Sends with wakeonlan from the same host and compares what matters: payload, destination, port. */
    private void assertSameAsWakeonlan(Pcap.Frame ctysFrame, String... wakeonlanArgs) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns("sender"), "wakeonlan"));
        cmd.addAll(List.of(wakeonlanArgs));
        Pcap.Frame reference = sendOne(() -> Proc.ok(cmd.toArray(new String[0])));
        assertThat(ctysFrame.payload()).as("payload like wakeonlan's").isEqualTo(reference.payload());
        assertThat(ctysFrame.dstIp()).as("destination like wakeonlan's").isEqualTo(reference.dstIp());
        assertThat(ctysFrame.dstPort()).as("port like wakeonlan's").isEqualTo(reference.dstPort());
        assertThat(ctysFrame.dstMacText()).isEqualTo(reference.dstMacText());
    }

    private static void assertNeverShows(Proc.Outcome o, String passwordText, byte[] password) {
        String hex = HexFormat.of().formatHex(password);
        String printed = o.both();
        assertThat(printed).as("%s", o)
                .doesNotContainIgnoringCase(passwordText)
                .doesNotContainIgnoringCase(hex)
                .doesNotContainIgnoringCase(HexFormat.ofDelimiter("-").formatHex(password))
                .doesNotContain(new String(password, StandardCharsets.ISO_8859_1));
    }
}
