package org.ctys.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.ctys.exit.CtysException;
import org.ctys.exit.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names, group members and hosts in the inventory are read with the command line's target
 * grammar: what could not be typed as a target, or could turn into an option or a shell command
 * somewhere downstream, is a configuration error with its line. Names are case-insensitive.
 */
class InventoryNamesTest {

    private static final String HOST_FORM = "a host name (letters, digits, '-' and '_', dots between labels), an IPv4"
            + " address such as 192.168.3.11 (no leading zeros), or an IPv6 address such as fe80::1 or [fe80::1]";
    private static final String MEMBER_FORM = "a machine name, a node set of machine names such as lab[01-16], or @GROUP";

    @TempDir Path dir;

    private Inventory parse(String yaml) throws IOException {
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, yaml);
        return InventoryLoader.parse(file);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> loading(String yaml) {
        return assertThatThrownBy(() -> parse(yaml))
                .isInstanceOfSatisfying(CtysException.class, e -> assertThat(e.status()).isEqualTo(ExitStatus.CONFIG));
    }

    private String at(int line) { return dir.resolve("inventory.yaml") + ":" + line + ": "; }

    @Test
    void aHostThatIsACommandIsRefused() {
        loading("machines:\n  lab01:\n    host: \"$(touch /tmp/pwn)\"\n")
                .hasMessage(at(3) + "bad host of 'lab01': '$(touch /tmp/pwn)'; expected " + HOST_FORM);
        loading("machines:\n  lab01:\n    host: -oProxyCommand=x\n")
                .hasMessageStartingWith(at(3) + "bad host of 'lab01': '-oProxyCommand=x'");
        loading("machines:\n  lab01:\n    bmc: {address: 'bmc01 -U admin'}\n")
                .hasMessageStartingWith(at(3) + "bad address of bmc of 'lab01': 'bmc01 -U admin'; expected a host name");
        loading("defaults:\n  wol: {gateway: 'gw01;reboot'}\n")
                .hasMessageStartingWith(at(2) + "bad gateway of wol of defaults: 'gw01;reboot'");
    }

    @Test
    void hostsAreHostNamesIpv4OrIpv6() throws IOException {
        Inventory inv = parse("""
                machines:
                  a: {host: lab01.example.org}
                  b: {host: 192.168.3.11}
                  c: {host: "::1"}
                  d: {host: "[fe80::1]"}
                  e: {host: "fe80::1%eth0"}
                  f: {host: "::ffff:192.0.2.1"}
                  g: {host: "2001:db8:0:0:0:0:0:1", bmc: {address: "[2001:db8::2]"}}
                """);
        assertThat(inv.machine("a").orElseThrow().host()).isEqualTo("lab01.example.org");
        assertThat(inv.machine("c").orElseThrow().host()).isEqualTo("::1");
        assertThat(inv.machine("d").orElseThrow().host()).as("brackets dropped").isEqualTo("fe80::1");
        assertThat(inv.machine("e").orElseThrow().host()).isEqualTo("fe80::1%eth0");
        assertThat(inv.machine("f").orElseThrow().host()).isEqualTo("::ffff:192.0.2.1");
        assertThat(inv.machine("g").orElseThrow().bmc().address()).isEqualTo("2001:db8::2");
        for (String bad : new String[] {"1:2:3", "::1::2", "fe80:::1", "[lab01]", "1:2:3:4:5:6:7:8:9", "256.1.1.1", "g::1"}) {
            loading("machines:\n  a: {host: \"" + bad + "\"}\n").hasMessageStartingWith(at(2) + "bad host of 'a': '" + bad + "'");
        }
    }

    @Test
    void usersJumpHostsAndInterfacesCannotBecomeOptions() throws IOException {
        loading("defaults:\n  user: -oProxyCommand=x\n")
                .hasMessage(at(2) + "bad user of defaults: '-oProxyCommand=x'; expected letters, digits, '.', '-' and '_',"
                        + " not starting with '-'");
        loading("machines:\n  a: {ssh: {user: 'root x'}}\n").hasMessageStartingWith(at(2) + "bad user of ssh of 'a'");
        loading("machines:\n  a:\n    ssh:\n      jump: [gw01, '-oProxyCommand=x']\n")
                .hasMessage(at(4) + "bad jump host '-oProxyCommand=x' in ssh of 'a'; expected [USER@]HOST[:PORT], HOST being"
                        + " a host name, an IPv4 address, or an IPv6 address in brackets such as [fe80::1]:22");
        loading("machines:\n  a: {ssh: {jump: 'gw01:99999'}}\n").hasMessageStartingWith(at(2) + "bad jump host 'gw01:99999'");
        loading("machines:\n  a: {wol: {interface: 'eth0;reboot'}}\n")
                .hasMessageStartingWith(at(2) + "bad interface of wol of 'a': 'eth0;reboot'; expected an interface name");
        Inventory inv = parse("machines:\n  a: {ssh: {jump: ['admin@gw01:2222', '[::1]:2222', 10.0.0.1]}, wol: {interface: eth0.10}}\n");
        assertThat(inv.machine("a").orElseThrow().ssh().jump()).containsExactly("admin@gw01:2222", "[::1]:2222", "10.0.0.1");
    }

    @Test
    void machineNamesMustBeTargetsTheCommandLineCanName() {
        loading("machines:\n  lab01-: {}\n").hasMessageStartingWith(at(2) + "bad machine name 'lab01-': use letters, digits");
        loading("machines:\n  lab..01: {}\n").hasMessageStartingWith(at(2) + "bad machine name 'lab..01'");
        loading("machines:\n  lab01:\n    guests:\n      '-d': {}\n").hasMessageStartingWith(at(4) + "bad machine name '-d'");
    }

    @Test
    void groupMembersThatAreNoTargetAreRefused() {
        String machines = "machines:\n  x1:\n  x2:\n  lab01:\ngroups:\n";
        loading(machines + "  g: [\"x[1-2]$(id)\"]\n").hasMessageStartingWith(at(6) + "bad member 'x[1-2]$(id)' of group 'g': ")
                .hasMessageEndingWith("; valid: " + MEMBER_FORM);
        loading(machines + "  g: [\"-d[3]\"]\n").hasMessageStartingWith(at(6) + "bad member '-d[3]' of group 'g': ")
                .hasMessageEndingWith("; valid: " + MEMBER_FORM);
        loading(machines + "  g: [root@lab01]\n").hasMessage(at(6) + "bad member 'root@lab01' of group 'g': a member names"
                + " machines only, without USER@, guests in brackets or options; valid: " + MEMBER_FORM);
        loading(machines + "  g: [\"lab01[web1]\"]\n").hasMessageStartingWith(at(6) + "bad member 'lab01[web1]' of group 'g'");
        loading(machines + "  g: [\"lab01(-l root)\"]\n").hasMessageStartingWith(at(6) + "bad member 'lab01(-l root)'");
        loading(machines + "  g: [\"@h,x1\"]\n  h: [x1]\n").hasMessageStartingWith(at(6) + "bad member '@h,x1' of group 'g':"
                + " a group reference is one @GROUP");
    }

    @Test
    void aNodeSetNamingNoMachineIsRefusedAsASingleNameIs() {
        String machines = "machines:\n  lab01:\n  lab02:\ngroups:\n";
        loading(machines + "  rack2: [lab01, \"lab[02-09]\"]\n")
                .hasMessage(at(5) + "group 'rack2' refers to unknown machines lab[03-09] (in 'lab[02-09]')");
        loading(machines + "  rack2: [lab01, lab03]\n").hasMessage(at(5) + "group 'rack2' refers to unknown machine 'lab03'");
        loading(machines + "  rack2: [\"lab[01-03]\"]\n").hasMessage(at(5) + "group 'rack2' refers to unknown machine lab03"
                + " (in 'lab[01-03]')");
    }

    @Test
    void namesAreLookedUpWhateverTheirCase() throws IOException {
        Inventory inv = parse("""
                machines:
                  lab01: {mac: aa:bb:cc:dd:ee:01}
                  Web.Example.ORG:
                groups:
                  Rack2: [LAB01, "web.example.org", "@OTHER"]
                  other: ["LAB[01]"]
                """);
        assertThat(inv.machine("LAB01").orElseThrow().name()).isEqualTo("lab01");
        assertThat(inv.machine("web.example.org").orElseThrow().name()).isEqualTo("Web.Example.ORG");
        assertThat(inv.group("@rack2")).containsExactly("LAB01", "web.example.org", "@OTHER");
        assertThat(inv.group("OTHER")).containsExactly("LAB[01]");
        assertThat(inv.machine("\u212Aab01")).as("only ASCII letters fold").isEmpty();
    }

    @Test
    void namesThatDifferOnlyInCaseAreDuplicates() {
        loading("machines:\n  lab01:\n  LAB01:\n").hasMessage(at(3) + "duplicate machine name 'LAB01' (first defined at"
                + " line 2); names must be unique across machines and guests, and case does not count");
        loading("machines:\n  lab01:\n    guests: {Lab01: }\n").hasMessageStartingWith(at(3) + "duplicate machine name 'Lab01'");
        loading("groups:\n  lab: []\n  LAB: []\n").hasMessage(at(3) + "duplicate group 'LAB' (first defined at line 2;"
                + " case does not count)");
    }

    @Test
    void aGatewayIsNotItsOwnGatewayWhateverTheCase() throws IOException {
        Inventory inv = parse("defaults:\n  wol: {gateway: GW01}\nmachines:\n  gw01:\n  lab01:\n");
        assertThat(inv.machine("gw01").orElseThrow().wol().gateway()).isNull();
        assertThat(inv.machine("lab01").orElseThrow().wol().gateway()).isEqualTo("GW01");
    }
}
