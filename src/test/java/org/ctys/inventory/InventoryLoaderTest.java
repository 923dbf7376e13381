package org.ctys.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ctys.exit.CtysException;
import org.ctys.exit.ExitStatus;
import org.ctys.grammar.Mac;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryLoaderTest {

    @TempDir Path dir;

    private Path write(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }

    private Inventory parse(String yaml) throws IOException {
        return InventoryLoader.parse(write("inventory.yaml", yaml));
    }

    @Test
    void readsAFullMachine() throws IOException {
        Inventory inv = parse("""
                machines:
                  lab01:
                    host: 192.168.3.11
                    mac: aa:bb:cc:dd:ee:01
                    wol: {broadcast: 192.168.3.255, port: 7, interface: eth0, secureon-file: /etc/ctys/so.pw, gateway: gw01}
                    bmc: {address: 10.0.0.11, user: admin, password-file: /etc/ctys/bmc.pw, cipher-suite: 17}
                    ssh: {user: root, port: 2222, jump: [gw01, gw02]}
                    hypervisor: kvm
                    uri: lxc:///system
                """);
        Machine m = inv.machine("lab01").orElseThrow();
        assertThat(m.host()).isEqualTo("192.168.3.11");
        assertThat(m.macs()).containsExactly(Mac.parse("aa:bb:cc:dd:ee:01"));
        assertThat(m.wol()).isEqualTo(new WolSettings("192.168.3.255", 7, "eth0",
                SecretRef.file(Path.of("/etc/ctys/so.pw")), "gw01"));
        assertThat(m.bmc()).isEqualTo(new BmcSettings("10.0.0.11", 623, "admin",
                SecretRef.file(Path.of("/etc/ctys/bmc.pw")), 17, false));
        assertThat(m.ssh()).isEqualTo(new SshSettings("root", 2222, List.of("gw01", "gw02")));
        assertThat(m.hypervisor()).isEqualTo(Hypervisor.KVM);
        assertThat(m.uri()).isEqualTo("lxc:///system");
        assertThat(m.parent()).isNull();
        assertThat(inv.source()).isEqualTo(dir.resolve("inventory.yaml"));
    }

    @Test
    void appliesPlainDefaultsWhenTheFileSaysLittle() throws IOException {
        Inventory inv = parse("""
                machines:
                  lab02:
                  lab03: {mac: [aa:bb:cc:dd:ee:03, "10:22:33:44:55:66"]}
                """);
        Machine m = inv.machine("lab02").orElseThrow();
        assertThat(m.host()).isEqualTo("lab02");
        assertThat(m.macs()).isEmpty();
        assertThat(m.wol()).isEqualTo(WolSettings.NONE);
        assertThat(m.bmc()).isNull();
        assertThat(m.ssh()).isEqualTo(new SshSettings(null, null, List.of()));
        assertThat(m.hypervisor()).isEqualTo(Hypervisor.NONE);
        assertThat(m.guests()).isEmpty();
        assertThat(inv.machine("lab03").orElseThrow().macs()).hasSize(2);
        assertThat(inv.machine("nope")).isEmpty();
    }

    @Test
    void macsThatLookLikeNumbersToYamlStayMacs() throws IOException {
        // Unquoted, YAML 1.1 could read 10:22:33:44:55:66 as a base-60 number.
        Inventory inv = parse("""
                machines:
                  lab01: {mac: 10:22:33:44:55:66}
                """);
        assertThat(inv.machine("lab01").orElseThrow().macs()).containsExactly(Mac.parse("10:22:33:44:55:66"));
    }

    @Test
    void mergesDefaultsFieldByField() throws IOException {
        Inventory inv = parse("""
                defaults:
                  user: root
                  wol: {broadcast: 192.168.3.255, port: 9, interface: eth0, secureon-file: /etc/ctys/so.pw, gateway: gw01}
                  ssh: {port: 22, jump: [gw01]}
                machines:
                  lab01:
                    wol: {port: 7}
                    ssh: {user: admin}
                  lab02:
                    ssh: {jump: []}
                  gw01: {}
                """);
        Machine lab01 = inv.machine("lab01").orElseThrow();
        assertThat(lab01.wol()).isEqualTo(new WolSettings("192.168.3.255", 7, "eth0",
                SecretRef.file(Path.of("/etc/ctys/so.pw")), "gw01"));
        assertThat(lab01.ssh()).isEqualTo(new SshSettings("admin", 22, List.of("gw01")));
        Machine lab02 = inv.machine("lab02").orElseThrow();
        assertThat(lab02.ssh()).as("explicit empty jump opts out").isEqualTo(new SshSettings("root", 22, List.of()));
        Machine gw01 = inv.machine("gw01").orElseThrow();
        assertThat(gw01.ssh().jump()).as("never its own jump host").isEmpty();
        assertThat(gw01.wol().gateway()).as("never its own gateway").isNull();
    }

    @Test
    void defaultSshUserLosesToTheDefaultSshBlock() throws IOException {
        Inventory inv = parse("""
                defaults:
                  user: root
                  ssh: {user: admin}
                machines:
                  lab01:
                """);
        assertThat(inv.machine("lab01").orElseThrow().ssh().user()).isEqualTo("admin");
    }

    @Test
    void jumpChainIsCutWhereTheMachineItselfAppears() throws IOException {
        Inventory inv = parse("""
                defaults:
                  ssh: {jump: [gw01, gw02]}
                machines:
                  gw02:
                """);
        assertThat(inv.machine("gw02").orElseThrow().ssh().jump()).containsExactly("gw01");
    }

    @Test
    void findsNestedGuestsWithTheirParent() throws IOException {
        Inventory inv = parse("""
                defaults:
                  ssh: {user: admin}
                machines:
                  lab01:
                    hypervisor: kvm
                    guests:
                      web1:
                        host: 10.0.1.5
                        mac: 52:54:00:00:00:01
                        console: virsh
                        via-host-only: true
                        hypervisor: kvm
                        guests:
                          inner: {console: virsh}
                      web2:
                  lab02:
                """);
        assertThat(inv.machines()).extracting(Machine::name).containsExactly("lab01", "lab02");
        assertThat(inv.machine("lab01").orElseThrow().guests()).containsOnlyKeys("web1", "web2");
        Machine web1 = inv.machine("web1").orElseThrow();
        assertThat(web1.parent()).isEqualTo("lab01");
        assertThat(web1.isGuest()).isTrue();
        assertThat(web1.host()).isEqualTo("10.0.1.5");
        assertThat(web1.console()).isEqualTo("virsh");
        assertThat(web1.viaHostOnly()).isTrue();
        assertThat(web1.ssh().user()).as("defaults apply to guests too").isEqualTo("admin");
        Machine inner = inv.machine("inner").orElseThrow();
        assertThat(inner.parent()).isEqualTo("web1");
        assertThat(inv.machine("web2").orElseThrow().viaHostOnly()).isFalse();
        assertThat(inv.all().keySet()).containsExactly("lab01", "web1", "inner", "web2", "lab02");
    }

    @Test
    void keepsGroupMembersAsWritten() throws IOException {
        Inventory inv = parse("""
                machines:
                  lab01:
                  lab02:
                    guests: {web1: }
                  lab03:
                  lab04:
                groups:
                  lab: [lab01, lab02, "lab[03-04]", "@other"]
                  other: [web1]
                  empty:
                """);
        assertThat(inv.group("lab")).containsExactly("lab01", "lab02", "lab[03-04]", "@other");
        assertThat(inv.group("@other")).containsExactly("web1");
        assertThat(inv.group("empty")).isEmpty();
        assertThat(inv.groups().keySet()).containsExactly("lab", "other", "empty");
    }

    @Test
    void unknownGroupListsTheKnownOnes() throws IOException {
        Path file = write("inventory.yaml", """
                machines: {lab01: }
                groups:
                  lab: [lab01]
                  all: ["@lab"]
                """);
        Inventory inv = InventoryLoader.parse(file);
        assertThatThrownBy(() -> inv.group("@x"))
                .isInstanceOf(CtysException.class)
                .hasMessage("unknown group '@x' in " + file + "; known groups: @lab, @all");
        assertThatThrownBy(() -> Inventory.empty().group("x"))
                .hasMessageContaining("unknown group '@x'").hasMessageEndingWith("known groups: none");
    }

    @Test
    void relativeSecretFilesAreRelativeToTheInventory() throws IOException {
        Inventory inv = parse("""
                machines:
                  lab01: {bmc: {address: bmc01, password-file: secrets/bmc.pw}}
                """);
        assertThat(inv.machine("lab01").orElseThrow().bmc().password())
                .isEqualTo(SecretRef.file(dir.toAbsolutePath().resolve("secrets/bmc.pw")));
    }

    @Test
    void bmcDefaultsAndPasswordFromEnvironment() throws IOException {
        Inventory inv = parse("""
                machines:
                  lab01: {bmc: {address: 10.0.0.11, password-env: LAB01_BMC}}
                  lab02: {bmc: {address: 10.0.0.12, cipher-suite: 0, allow-cipher-suite-0: true}}
                """);
        BmcSettings bmc = inv.machine("lab01").orElseThrow().bmc();
        assertThat(bmc).isEqualTo(new BmcSettings("10.0.0.11", 623, null, SecretRef.env("LAB01_BMC"), 3, false));
        assertThat(inv.machine("lab02").orElseThrow().bmc().cipherSuite()).isZero();
    }

    @Test
    void aBmcKeyFromAFileOrTheEnvironment() throws IOException {
        Inventory inv = parse("""
                machines:
                  lab01: {bmc: {address: 10.0.0.11, password-env: LAB01_BMC, kg-file: secrets/lab01.kg}}
                  lab02: {bmc: {address: 10.0.0.12, password-env: LAB02_BMC, kg-env: LAB02_KG}}
                  lab03: {bmc: {address: 10.0.0.13, password-env: LAB03_BMC}}
                """);
        assertThat(inv.machine("lab01").orElseThrow().bmc().bmcKey())
                .isEqualTo(SecretRef.file(dir.toAbsolutePath().resolve("secrets/lab01.kg")));
        assertThat(inv.machine("lab02").orElseThrow().bmc().bmcKey()).isEqualTo(SecretRef.env("LAB02_KG"));
        assertThat(inv.machine("lab03").orElseThrow().bmc().bmcKey()).isNull();
    }

    @Test
    void emptyFileIsAnEmptyInventory() throws IOException {
        Inventory inv = parse("# nothing yet\n");
        assertThat(inv.machines()).isEmpty();
        assertThat(inv.groups()).isEmpty();
    }

    // --- search order ---

    private Path system() { return dir.resolve("etc/ctys/inventory.yaml"); }

    private Path home() { return dir.resolve("home"); }

    private Path machineFile(Path file, String machine) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "machines: {" + machine + ": }\n");
        return file;
    }

    private String loadedMachine(Path explicit, Map<String, String> env) {
        return InventoryLoader.load(explicit, env, home(), system()).machines().get(0).name();
    }

    @Test
    void explicitFileComesFirst() throws IOException {
        Path explicit = machineFile(dir.resolve("explicit.yaml"), "explicit");
        Path fromEnv = machineFile(dir.resolve("env.yaml"), "fromenv");
        machineFile(home().resolve(".config/ctys/inventory.yaml"), "home");
        machineFile(system(), "system");
        assertThat(loadedMachine(explicit, Map.of("CTYS_INVENTORY", fromEnv.toString()))).isEqualTo("explicit");
        assertThat(loadedMachine(null, Map.of("CTYS_INVENTORY", fromEnv.toString()))).isEqualTo("fromenv");
        assertThat(loadedMachine(null, Map.of())).isEqualTo("home");
        assertThat(loadedMachine(null, Map.of("CTYS_INVENTORY", ""))).as("empty variable is unset").isEqualTo("home");
    }

    @Test
    void systemFileWhenNoUserFile() throws IOException {
        machineFile(system(), "system");
        assertThat(loadedMachine(null, Map.of())).isEqualTo("system");
    }

    @Test
    void noFileAnywhereIsAnEmptyInventory() {
        Inventory inv = InventoryLoader.load(null, Map.of(), home(), system());
        assertThat(inv.machines()).isEmpty();
        assertThat(inv.source()).isNull();
    }

    @Test
    void namedFileThatDoesNotExistIsAnError() {
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> InventoryLoader.load(missing, Map.of(), home(), system()))
                .isInstanceOfSatisfying(CtysException.class, e -> assertThat(e.status()).isEqualTo(ExitStatus.CONFIG))
                .hasMessage("inventory file " + missing + " (given by --inventory) does not exist");
        assertThatThrownBy(() -> InventoryLoader.load(null, Map.of("CTYS_INVENTORY", missing.toString()), home(), system()))
                .hasMessage("inventory file " + missing + " (given by $CTYS_INVENTORY) does not exist");
    }
}
