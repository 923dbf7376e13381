package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration errors: exit status 3, one line naming the file and what is wrong, nothing sent. */
class CtysConfigTest {
    @TempDir
    Path home;

    @Test
    void noMacKnownIsAConfigurationError() {
        CliRun r = CliRun.run(home, "-t", "pm", "-a", "create=wol", "lab01");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("ctys: no MAC address known for 'lab01': give it 'mac:' in the inventory "
                + "(none in use), a line in /etc/ethers, or BMAC:<mac>\n");
    }

    @Test
    void inventoryErrorsNameFileAndLine() throws Exception {
        Path inv = home.resolve("inventory.yaml");
        Files.writeString(inv, "machines:\n  lab01:\n    host: 10.0.0.1\n    mca: aa:bb:cc:dd:ee:ff\n");
        CliRun r = CliRun.run(home, "--inventory", inv.toString(), "-t", "pm", "-a", "create=wol", "lab01");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.firstErrLine()).startsWith("ctys: " + inv + ":4:").contains("mca");
    }

    @Test
    void ipv6JumpHostsAreTakenInBracketsWithAPortAndBareWithout() {
        CliRun r = CliRun.run(home, "-n", "-J", "root@[::1]:2222,::1,[fe80::1%v0]:22", "-t", "cli", "-a", "create=cmd:true", "lab01");
        assertThat(r.status()).as(r.err()).isZero();
        // quoted for the shell, and a bare IPv6 hop bracketed as OpenSSH's -J reads it
        assertThat(r.out()).contains("ssh -J 'root@[::1]:2222,[::1],[fe80::1%v0]:22' lab01 true");
    }

    @Test
    void missingExplicitInventory() {
        CliRun r = CliRun.run(home, "--inventory", home.resolve("nope.yaml").toString(), "-t", "pm", "-a", "list");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).contains("nope.yaml");
    }

    @Test
    void unknownGroup() throws Exception {
        Path inv = home.resolve("inventory.yaml");
        Files.writeString(inv, "machines:\n  lab01: {mac: aa:bb:cc:dd:ee:01}\ngroups:\n  lab: [lab01]\n");
        CliRun r = CliRun.run(home, Map.of("CTYS_INVENTORY", inv.toString()), "-t", "pm", "-a", "create=wol", "@lbb");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).contains("unknown group '@lbb'").contains("lab");
    }

    @Test
    void listShowsTheInventory() throws Exception {
        Path inv = home.resolve("inventory.yaml");
        Files.writeString(inv, """
                machines:
                  lab01: {host: 10.0.0.1, mac: aa:bb:cc:dd:ee:01, wol: {broadcast: 10.0.0.255}}
                  lab02:
                    host: 10.0.0.2
                    mac: [aa:bb:cc:dd:ee:02, aa:bb:cc:dd:ee:12]
                    hypervisor: kvm
                    guests:
                      web1: {host: 10.0.1.5}
                groups:
                  lab: [lab01, "lab[02-02]"]
                """);
        CliRun all = CliRun.run(home, Map.of("CTYS_INVENTORY", inv.toString()), "-t", "pm", "-a", "list");
        assertThat(all.status()).isZero();
        assertThat(all.out().lines().toList()).hasSize(4)
                .anySatisfy(l -> assertThat(l).startsWith("lab01").contains("10.0.0.1").contains("aa:bb:cc:dd:ee:01")
                        .contains("broadcast 10.0.0.255"))
                .anySatisfy(l -> assertThat(l).startsWith("lab02").contains("kvm").contains("web1")
                        .contains("aa:bb:cc:dd:ee:02 aa:bb:cc:dd:ee:12"))
                .anySatisfy(l -> assertThat(l).startsWith("web1").contains("10.0.1.5"));
        CliRun group = CliRun.run(home, Map.of("CTYS_INVENTORY", inv.toString()), "-X", "-t", "pm", "-a", "list", "@lab");
        assertThat(group.out().lines().map(l -> l.split(";")[0]).toList()).containsExactly("lab01", "lab02");
        CliRun unknown = CliRun.run(home, Map.of("CTYS_INVENTORY", inv.toString()), "-t", "pm", "-a", "list", "lab09");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.out()).contains("lab09").contains("not in the inventory");
    }

    @Test
    void targetOptionsOverrideTheGenericOnesForThatTargetOnly() throws Exception {
        Path inv = home.resolve("inventory.yaml");
        Files.writeString(inv, "machines:\n  lab01: {host: 10.0.0.1, mac: aa:bb:cc:dd:ee:01}\n"
                + "  lab02: {host: 10.0.0.2, mac: aa:bb:cc:dd:ee:02}\n");
        CliRun r = CliRun.run(home, Map.of("CTYS_INVENTORY", inv.toString()), "-n", "-t", "pm", "-a", "create=wol",
                "lab01(--timeout 90s)", "lab02");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("# lab01: at most 90s").doesNotContain("# lab02");
        CliRun shared = CliRun.run(home, Map.of("CTYS_INVENTORY", inv.toString()), "-n", "-t", "pm", "-a", "create=wol",
                "--", "(--timeout 1m)", "lab01", "lab02(--timeout 2m)");
        assertThat(shared.out()).contains("# lab01: at most 1m").contains("# lab02: at most 2m");
    }

    @Test
    void theInventoryDefaultsWakeHostsItDoesNotName() throws Exception {
        Path inv = home.resolve("inventory.yaml");
        Files.writeString(inv, "defaults:\n  wol: {broadcast: 10.0.0.255, port: 7}\nmachines:\n"
                + "  lab01: {mac: aa:bb:cc:dd:ee:01, wol: {broadcast: 10.1.0.255}}\n");
        CliRun r = CliRun.run(home, Map.of("CTYS_INVENTORY", inv.toString()), "-n", "-t", "pm", "-a",
                "create=wol,bmac:aa:bb:cc:dd:ee:ff,t:10.0.0.5");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("wakeonlan -i 10.0.0.255 -p 7 aa:bb:cc:dd:ee:ff");
        CliRun known = CliRun.run(home, Map.of("CTYS_INVENTORY", inv.toString()), "-n", "-t", "pm", "-a", "create=wol",
                "lab01");
        assertThat(known.out()).contains("wakeonlan -i 10.1.0.255 -p 7 aa:bb:cc:dd:ee:01");
    }

    @Test
    void anInventoryInterfaceThatIsNotHereIsAConfigurationError() throws Exception {
        Path inv = home.resolve("inventory.yaml");
        Files.writeString(inv, "machines:\n  lab01: {mac: aa:bb:cc:dd:ee:01, wol: {interface: nosuch0}}\n");
        CliRun r = CliRun.run(home, Map.of("CTYS_INVENTORY", inv.toString()), "-n", "-t", "pm", "-a", "create=wol",
                "lab01");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).startsWith("ctys: interface 'nosuch0' in the wol settings of 'lab01'").contains("valid:");
    }

    @Test
    void anInventoryBroadcastMustBeAnIpv4Address() throws Exception {
        Path inv = home.resolve("inventory.yaml");
        Files.writeString(inv, "machines:\n  lab01:\n    mac: aa:bb:cc:dd:ee:01\n    wol: {broadcast: 192.168.3.256}\n");
        CliRun r = CliRun.run(home, Map.of("CTYS_INVENTORY", inv.toString()), "-n", "-t", "pm", "-a", "create=wol",
                "lab01");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).startsWith("ctys: " + inv + ":4: broadcast of wol of 'lab01' is '192.168.3.256'");
    }
}
