package org.ctys.inventory;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.ctys.exit.CtysException;
import org.ctys.exit.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every mistake is a configuration error that names the file and the exact line. */
class InventoryErrorsTest {

    @TempDir Path dir;

    private AbstractThrowableAssert<?, ? extends Throwable> loading(String yaml) throws IOException {
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, yaml);
        return assertThatThrownBy(() -> InventoryLoader.parse(file))
                .isInstanceOfSatisfying(CtysException.class, e -> org.assertj.core.api.Assertions
                        .assertThat(e.status()).isEqualTo(ExitStatus.CONFIG));
    }

    private String at(int line) { return dir.resolve("inventory.yaml") + ":" + line + ": "; }

    @Test
    void unknownKeyInMachine() throws IOException {
        loading("""
                machines:
                  lab01:
                    host: 192.168.3.11
                    mca: aa:bb:cc:dd:ee:01
                """).hasMessage(at(4) + "unknown key 'mca' in machine 'lab01'"
                + " (valid: host, mac, wol, bmc, ssh, hypervisor, uri, guests, vnc, serial)");
    }

    @Test
    void unknownKeyAtTopLevelInDefaultsAndInBlocks() throws IOException {
        loading("machine:\n  lab01:\n").hasMessage(at(1) + "unknown key 'machine' in the inventory (valid: defaults, machines, groups, console-server, boot-server)");
        loading("defaults:\n  usr: root\n").hasMessageStartingWith(at(2) + "unknown key 'usr' in defaults (valid: user, wol, ssh)");
        loading("""
                machines:
                  lab01:
                    wol:
                      broadcast: 192.168.3.255
                      prot: 9
                """).hasMessageStartingWith(at(5) + "unknown key 'prot' in wol of 'lab01' (valid: broadcast, port, ");
        loading("defaults:\n  ssh: {usr: admin}\n").hasMessageStartingWith(at(2) + "unknown key 'usr' in ssh of defaults");
    }

    @Test
    void aVncPasswordIsNeverWrittenInTheInventory() throws IOException {
        loading("machines:\n  lab01:\n    vnc: {password: hunter2}\n")
                .hasMessageStartingWith(at(3)).hasMessageContaining("use password-file or password-env");
        loading("machines:\n  lab01:\n    vnc: {password-file: a, password-env: B}\n")
                .hasMessageContaining("gives both password-file and password-env");
    }

    @Test
    void consoleIsOnlyForGuests() throws IOException {
        loading("machines:\n  lab01: {console: virsh}\n").hasMessageStartingWith(at(2) + "unknown key 'console' in machine 'lab01'");
    }

    @Test
    void unknownKeyInNestedGuest() throws IOException {
        loading("""
                machines:
                  lab01:
                    guests:
                      web1:
                        guests:
                          inner:
                            consle: virsh
                """).hasMessageStartingWith(at(7) + "unknown key 'consle' in guest 'inner' (valid: host, mac, ");
    }

    @Test
    void badMacAddress() throws IOException {
        loading("""
                machines:
                  lab01:
                    mac: aa:bb:cc:dd:ee:01
                  lab02:
                    mac:
                      - aa:bb:cc:dd:ee:02
                      - zz:bb:cc:dd:ee:03
                """).hasMessageStartingWith(at(7) + "bad MAC address 'zz:bb:cc:dd:ee:03' for 'lab02'");
        loading("""
                machines:
                  lab01:
                    mac: ab:bb:cc:dd:ee:01
                """).hasMessage(at(3) + "MAC address 'ab:bb:cc:dd:ee:01' is a multicast (group) address, which no network"
                + " card has: its first byte is odd (mac of 'lab01')");
    }

    @Test
    void inlinePasswords() throws IOException {
        loading("""
                machines:
                  lab01:
                    bmc:
                      address: 10.0.0.11
                      user: admin
                      password: hunter2
                """).hasMessage(at(6) + "inline password is not allowed for bmc of 'lab01'; use password-file or password-env")
                .message().doesNotContain("hunter2");
        loading("defaults:\n  wol: {secureon: 01:02:03:04:05:06}\n")
                .hasMessageStartingWith(at(2) + "inline secureon is not allowed for wol of defaults;");
        loading("machines:\n  lab01: {ssh: {password: x}}\n")
                .hasMessageStartingWith(at(2) + "inline password is not allowed for ssh of 'lab01';");
    }

    @Test
    void bothPasswordSourcesAreAmbiguous() throws IOException {
        loading("""
                machines:
                  lab01:
                    bmc:
                      address: 10.0.0.11
                      password-file: /etc/ctys/bmc.pw
                      password-env: LAB01_BMC
                """).hasMessageStartingWith(at(6) + "bmc of 'lab01' gives both password-file and password-env");
    }

    @Test
    void theBmcKeyIsASecretReferenceLikeThePassword() throws IOException {
        loading("machines:\n  lab01: {bmc: {address: b, kg: abcdef}}\n")
                .hasMessage(at(2) + "inline kg is not allowed for bmc of 'lab01'; a secret never goes in the inventory;"
                        + " use kg-file or kg-env")
                .message().doesNotContain("abcdef");
        loading("machines:\n  lab01: {bmc: {address: b, kg-file: /etc/ctys/kg, kg-env: KG}}\n")
                .hasMessageStartingWith(at(2) + "bmc of 'lab01' gives both kg-file and kg-env; keep one");
        loading("machines:\n  lab01: {bmc: {address: b, kg-env: \"$KG\"}}\n")
                .hasMessageStartingWith(at(2) + "kg-env of bmc of 'lab01' must name an environment variable");
    }

    @Test
    void bmcNeedsAnAddress() throws IOException {
        loading("machines:\n  lab01:\n    bmc:\n      user: admin\n").hasMessage(at(4) + "bmc of 'lab01' needs an address");
    }

    @Test
    void yamlSyntaxErrorsCarryTheirLine() throws IOException {
        loading("""
                machines:
                  lab01:
                    mac: [aa:bb:cc:dd:ee:01
                  lab02:
                """).hasMessageStartingWith(at(4) + "YAML syntax error: ");
        loading("machines:\n  lab01:\n\thost: x\n").hasMessageStartingWith(at(3) + "YAML syntax error: ")
                .message().doesNotContain("\n");
        loading("machines:\n  lab01:\n    host: x\n   bad: y\n").hasMessageStartingWith(at(4) + "YAML syntax error: ");
    }

    @Test
    void yamlAliasesAreRefused() throws IOException {
        loading("machines:\n  lab01: {host: &h x}\n  lab02: {host: *h}\n").hasMessageStartingWith(at(3) + "YAML aliases");
    }

    @Test
    void onlyOneDocument() throws IOException {
        loading("machines:\n  lab01:\n---\nmachines: {}\n").hasMessageStartingWith(at(4) + "only one YAML document");
    }

    @Test
    void topLevelMustBeAMapping() throws IOException {
        loading("\n- lab01\n").hasMessageStartingWith(at(2) + "an inventory is a mapping");
    }

    @Test
    void duplicateMachineNames() throws IOException {
        loading("""
                machines:
                  lab01:
                  lab02:
                  lab01:
                """).hasMessageStartingWith(at(4) + "duplicate machine name 'lab01' (first defined at line 2)");
    }

    @Test
    void duplicateNameAcrossGuests() throws IOException {
        loading("""
                machines:
                  lab01:
                    guests:
                      web1: {console: virsh}
                  lab02:
                    guests:
                      web1: {console: virsh}
                """).hasMessageStartingWith(at(7) + "duplicate machine name 'web1' (first defined at line 4)");
        loading("""
                machines:
                  web1:
                  lab01:
                    guests:
                      web1:
                """).hasMessageStartingWith(at(5) + "duplicate machine name 'web1' (first defined at line 2)");
    }

    @Test
    void duplicateKeyInsideAMachine() throws IOException {
        loading("machines:\n  lab01:\n    host: a\n    host: b\n")
                .hasMessage(at(4) + "duplicate key 'host' in machine 'lab01' (first at line 3)");
    }

    @Test
    void groupWithUnknownMachine() throws IOException {
        loading("""
                machines:
                  lab01:
                groups:
                  lab:
                    - lab01
                    - lab11
                """).hasMessage(at(6) + "group 'lab' refers to unknown machine 'lab11'");
    }

    @Test
    void groupWithUnknownGroup() throws IOException {
        loading("""
                machines: {lab01: }
                groups:
                  lab: [lab01]
                  all: ["@lab", "@labs"]
                """).hasMessage(at(4) + "group 'all' refers to unknown group '@labs'");
    }

    @Test
    void groupsMayReferToGroupsDefinedLater() throws IOException {
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, "machines: {lab01: }\ngroups:\n  all: ['@lab']\n  lab: [lab01]\n");
        org.assertj.core.api.Assertions.assertThat(InventoryLoader.parse(file).group("all")).containsExactly("@lab");
    }

    @Test
    void nodesetNeedsAPrefix() throws IOException {
        loading("""
                machines: {lab01: , lab02: , lab03: }
                groups:
                  lab: ["lab[01-03]", "[04-05]"]
                """).hasMessage(at(3) + "nodeset '[04-05]' in group 'lab' has no name before '['; valid: "
                + "a machine name, a node set of machine names such as lab[01-16], or @GROUP");
    }

    @Test
    void groupCycles() throws IOException {
        loading("""
                groups:
                  a: ["@b"]
                  b:
                    - "@a"
                """).hasMessage(at(4) + "group 'b' includes '@a', which includes '@b' again");
        loading("groups:\n  a: ['@a']\n").hasMessage(at(2) + "group 'a' includes itself");
    }

    /** Ten references to a group of ten, six levels deep: 10^7 machines from a few lines. */
    @Test
    void groupsOfGroupsThatExpandPastTheLimitAreRefusedWhenRead() throws IOException {
        StringBuilder yaml = new StringBuilder("machines:\n  m: {}\ngroups:\n  g0: [m, m, m, m, m, m, m, m, m, m]\n");
        for (int i = 1; i <= 6; i++) {
            yaml.append("  g").append(i).append(": [").append(String.join(", ", java.util.Collections.nCopies(10, "'@g" + (i - 1) + "'")))
                    .append("]\n");
        }
        loading(yaml.toString()).hasMessage(at(10) + "group 'g6' expands to more than 1000000 machines through its groups,"
                + " the limit for an inventory");
    }

    @Test
    void portsOutsideTheirRange() throws IOException {
        loading("""
                machines:
                  lab01:
                    ssh:
                      port: 70000
                """).hasMessage(at(4) + "port of ssh of 'lab01' must be between 1 and 65535, not 70000");
        loading("defaults:\n  wol: {port: 0}\n").hasMessage(at(2) + "port of wol of defaults must be between 1 and 65535, not 0");
        loading("defaults:\n  ssh: {port: ssh}\n").hasMessageStartingWith(at(2) + "port of ssh of defaults must be a whole number");
    }

    @Test
    void cipherSuiteOutsideItsRange() throws IOException {
        loading("""
                machines:
                  lab01:
                    bmc:
                      address: 10.0.0.11
                      cipher-suite: 18
                """).hasMessage(at(5) + "cipher-suite of bmc of 'lab01' must be between 0 and 17, not 18");
    }

    @Test
    void aCipherSuiteThatProtectsOnlyTheLoginIsRefused() throws IOException {
        loading("machines:\n  lab01:\n    bmc:\n      address: b\n      cipher-suite: 1\n")
                .hasMessageStartingWith(at(5) + "cipher-suite 1 of bmc of 'lab01' is not one ctys speaks")
                .hasMessageContaining("valid: 3 (the default), 17, 2, 16");
        loading("machines:\n  lab01:\n    bmc:\n      address: b\n      cipher-suite: 8\n")
                .hasMessageContaining("MD5 and xRC4 suites are not offered");
    }

    @Test
    void cipherSuiteZeroMustBeAllowed() throws IOException {
        loading("machines:\n  lab01:\n    bmc:\n      address: b\n      cipher-suite: 0\n")
                .hasMessageStartingWith(at(5) + "cipher-suite 0 of bmc of 'lab01' sends no authentication");
    }

    @Test
    void unknownHypervisor() throws IOException {
        loading("machines:\n  lab01:\n    hypervisor: vmware\n")
                .hasMessage(at(3) + "hypervisor 'vmware' of 'lab01' is not one of kvm, xen, none");
    }

    @Test
    void aUriThatWouldNotBeOneWordOnTheHost() throws IOException {
        for (String bad : List.of("qemu", "'qemu:///system; reboot'", "\"qemu:///system x\"", "qemu:///$(id)", "QEMU:///system")) {
            loading("machines:\n  lab01:\n    uri: " + bad + "\n").hasMessageStartingWith(at(3) + "bad uri '")
                    .hasMessageEndingWith("' of 'lab01': expected a libvirt connection URI such as qemu:///system or lxc:///system");
        }
    }

    @Test
    void wrongShapes() throws IOException {
        loading("machines:\n  lab01:\n    ssh: root\n")
                .hasMessageStartingWith(at(3) + "ssh of 'lab01' must be a mapping");
        loading("machines:\n  lab01:\n    host: [a, b]\n")
                .hasMessageStartingWith(at(3) + "host of 'lab01' must be a single value");
        loading("machines:\n  lab01:\n    guests:\n      web1: {via-host-only: maybe}\n")
                .hasMessageStartingWith(at(4) + "via-host-only of 'web1' must be true or false");
    }

    @Test
    void badNames() throws IOException {
        loading("machines:\n  \"lab 01\":\n").hasMessageStartingWith(at(2) + "bad machine name 'lab 01'");
        loading("machines:\n  \"@lab\":\n").hasMessageStartingWith(at(2) + "bad machine name '@lab'");
    }

    @Test
    void badEnvironmentVariableName() throws IOException {
        loading("machines:\n  lab01: {bmc: {address: b, password-env: \"$X\"}}\n")
                .hasMessageStartingWith(at(2) + "password-env of bmc of 'lab01' must name an environment variable");
    }
}
