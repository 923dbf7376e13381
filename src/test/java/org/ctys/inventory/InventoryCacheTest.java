package org.ctys.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ctys.exit.CtysException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryCacheTest {
    @TempDir
    Path dir;

    private static final String YAML = """
            defaults:
              wol: {broadcast: 10.0.0.255, port: 7}
              ssh: {user: admin, jump: [gw01]}
            machines:
              gw01: {host: 10.0.0.1}
              lab01:
                host: 10.0.0.11
                mac: [aa:bb:cc:dd:ee:01, aa:bb:cc:dd:ee:11]
                wol: {interface: eth1, secureon-file: so.pw, gateway: gw01}
                bmc: {address: 10.9.0.11, user: root, password-env: LAB01_BMC, cipher-suite: 17, kg-file: lab01.kg}
                hypervisor: kvm
                uri: qemu:///system
                guests:
                  web1:
                    host: 10.0.1.5
                    console: virsh
                    via-host-only: true
                    vnc: {password-env: WEB1_VNC}
                    guests:
                      inner: {host: 10.0.2.5}
              lab02:
              lab03:
            groups:
              lab: [lab01, "lab[02-03]", "@gws"]
              gws: [gw01]
            """;

    private Inventory load(Path file) {
        return InventoryLoader.load(file, Map.of(), dir.resolve("home"), dir.resolve("none"));
    }

    @Test
    void theCopyReadsBackTheSameInventory() throws Exception {
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, YAML);
        Inventory parsed = InventoryLoader.parse(file);
        Inventory first = load(file);
        Path cacheDir = dir.resolve("home/.cache/ctys");
        assertThat(cacheDir).isDirectory();
        List<Path> copies;
        try (var s = Files.list(cacheDir)) {
            copies = s.toList();
        }
        assertThat(copies).hasSize(1);
        Inventory second = load(file);
        assertThat(first).isEqualTo(parsed);
        assertThat(second.machines()).isEqualTo(parsed.machines());
        assertThat(second.groups()).isEqualTo(parsed.groups());
        assertThat(second.machine("inner")).isEqualTo(parsed.machine("inner"));
        assertThat(second.machine("web1").orElseThrow().vncPassword()).isEqualTo(SecretRef.env("WEB1_VNC"));
        assertThat(second.source()).isEqualTo(file);
    }

    @Test
    void changedContentIsParsedAgain() throws Exception {
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, YAML);
        load(file);
        Files.writeString(file, YAML.replace("10.0.0.11", "10.0.0.99"));
        assertThat(load(file).machine("lab01").orElseThrow().host()).isEqualTo("10.0.0.99");
    }

    @Test
    void aDamagedCopyIsIgnored() throws Exception {
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, YAML);
        load(file);
        try (var s = Files.list(dir.resolve("home/.cache/ctys"))) {
            for (Path p : s.toList()) {
                byte[] b = Files.readAllBytes(p);
                Files.write(p, java.util.Arrays.copyOf(b, b.length - 10));
            }
        }
        assertThat(load(file)).isEqualTo(InventoryLoader.parse(file));
    }

    @Test
    void errorsStillComeFromTheYamlWithTheirLine() throws Exception {
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, YAML);
        load(file);
        Files.writeString(file, YAML.replace("    hypervisor: kvm", "    hypervisor: vmware"));
        assertThatThrownBy(() -> load(file)).isInstanceOf(CtysException.class).hasMessageStartingWith(file + ":11:");
    }
}
