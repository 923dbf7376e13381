package org.ctys.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A usage error (exit 2) or a configuration error (exit 3) is found before anything is sent:
 * the sniffer on the segment sees no packet at all, not even for the targets that were fine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageNothingSentIT {
    private static final String PASSWORD = "0a:1b:2c:3d:4e:5f";

    @TempDir static Path dir;
    private NetLab lab;
    private CtysRunner ctys;
    private Path inventory;

    @BeforeAll
    void createLab() throws IOException {
        Proc.require("tcpdump", "tcpdump");
        Map<String, String> hosts = new LinkedHashMap<>();
        hosts.put("sender", "10.213.0.1/24");
        hosts.put("sniffer", "10.213.0.2/24");
        lab = NetLab.create("ctysit-use", hosts);
        lab.routeLimitedBroadcast("sender");
        Path openSecret = Files.writeString(dir.resolve("open-secret"), PASSWORD + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(openSecret, PosixFilePermissions.fromString("rw-r--r--"));
        inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                machines:
                  lab01: {host: 10.213.0.21, mac: "aa:bb:cc:dd:ee:01", wol: {broadcast: 10.213.0.255}}
                  lab02: {host: 10.213.0.22, mac: "aa:bb:cc:dd:ee:02", wol: {broadcast: 10.213.0.255}}
                  nomac: {host: 10.213.0.23}
                  leaky: {host: 10.213.0.24, mac: "aa:bb:cc:dd:ee:04", wol: {broadcast: 10.213.0.255, secureon-file: %s}}
                """.formatted(openSecret), StandardCharsets.UTF_8);
        ctys = new CtysRunner(Files.createDirectories(dir.resolve("home"))).inventory(inventory);
    }

    @AfterAll
    void removeLab() {
        if (lab != null) lab.close();
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of("bad MAC", List.of("-a", "create=wol,bmac:zz:bb:cc:dd:ee:01,broadcast:10.213.0.255,ping:off"),
                        "bad MAC address"),
                Arguments.of("BROADCAST with IF", List.of("-a", "create=wol,broadcast:10.213.0.255,if:" + NetLab.IF
                        + ",ping:off", "lab01"), "exclude each other"),
                Arguments.of("unknown suboption", List.of("-a", "create=wol,broadcast:10.213.0.255,frobnicate,ping:off",
                        "lab01"), "unknown suboption 'frobnicate'"),
                Arguments.of("unbalanced node set", List.of("-a", "create=wol,ping:off", "lab01", "lab[01-"),
                        "never closed"),
                Arguments.of("interface that does not exist", List.of("-a", "create=wol,if:nosuch0,ping:off", "lab01"),
                        "nosuch0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void usageErrorSendsNothing(String what, List<String> args, String says) {
        Proc.Outcome o = runCapturingNothing(args);
        assertThat(o.exit()).as("%s", o).isEqualTo(2);
        assertThat(o.err()).as("%s", o).contains(says).contains("Usage:").doesNotContain("Exception");
        assertThat(o.out()).as("%s", o).isEmpty();
    }

    @Test
    void targetWithoutAnyMacIsAConfigurationErrorAndNothingIsSent() {
        // lab01 and lab02 could be woken; they are not, because the command as a whole is wrong
        Proc.Outcome o = runCapturingNothing(List.of("-a", "create=wol,ping:off", "lab01", "nomac", "lab02"));
        assertThat(o.exit()).as("%s", o).isEqualTo(3);
        assertThat(o.err()).as("%s", o).contains("no MAC address known for 'nomac'");
    }

    @Test
    void unknownTargetWithoutMacIsAConfigurationErrorAndNothingIsSent() {
        Proc.Outcome o = runCapturingNothing(List.of("-a", "create=wol,broadcast:10.213.0.255,ping:off", "lab01", "stranger"));
        assertThat(o.exit()).as("%s", o).isEqualTo(3);
        assertThat(o.err()).as("%s", o).contains("'stranger'");
    }

    @Test
    void secureOnFileReadableByOthersIsAConfigurationErrorAndNothingIsSent() {
        Proc.Outcome o = runCapturingNothing(List.of("-a", "create=wol,ping:off", "lab01", "leaky"));
        assertThat(o.exit()).as("%s", o).isEqualTo(3);
        assertThat(o.err()).as("%s", o).contains("0644").contains("open-secret");
        assertThat(o.both()).as("%s", o).doesNotContainIgnoringCase(PASSWORD);
    }

    private Proc.Outcome runCapturingNothing(List<String> args) {
        List<String> all = new ArrayList<>(List.of("-t", "pm"));
        all.addAll(args);
        Proc.Outcome o;
        // Everything but IGMP, which the kernel sends on its own when interfaces come up: a magic packet,
        // a ping, a TCP probe or the ARP before one would all be ctys acting on a command it refused.
        try (Capture c = Capture.start(lab.ns("sniffer"), NetLab.IF, dir.resolve("capture.pcap"), "not igmp")) {
            o = ctys.in(lab.ns("sender")).run(all.toArray(new String[0]));
            List<Pcap.Frame> frames = c.stop();
            assertThat(frames).as("nothing at all on the wire for %s", o).isEmpty();
        }
        return o;
    }
}
