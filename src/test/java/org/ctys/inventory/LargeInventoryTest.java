package org.ctys.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A site inventory of 10,000 machines loads completely; its speed is measured by the benchmark. */
class LargeInventoryTest {

    private static final int MACHINES = 10_000;

    @TempDir Path dir;

    @Test
    void loadsTenThousandMachines() throws IOException {
        StringBuilder yaml = new StringBuilder(MACHINES * 200);
        yaml.append("defaults:\n  user: root\n  wol: {broadcast: 10.255.255.255, port: 9}\n  ssh: {jump: [gw00000]}\n");
        yaml.append("machines:\n");
        for (int i = 0; i < MACHINES; i++) {
            String name = String.format("n%05d", i);
            yaml.append("  ").append(name).append(":\n")
                .append("    host: 10.").append(i >> 16 & 255).append('.').append(i >> 8 & 255).append('.').append(i & 255).append('\n')
                .append(String.format("    mac: 02:00:00:00:%02x:%02x%n", i >> 8 & 255, i & 255))
                .append("    bmc: {address: bmc-").append(name).append(", user: admin, password-env: BMC_PW}\n")
                .append("    ssh: {port: 22}\n");
            if (i % 10 == 0) {
                yaml.append("    guests:\n      g").append(name).append(": {console: virsh, via-host-only: true}\n");
            }
        }
        yaml.append("groups:\n  all: [\"n[00000-09999]\"]\n  some: [n00001, n00002, gn00010]\n");
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, yaml);

        Inventory inv = InventoryLoader.parse(file);

        assertThat(inv.machines()).hasSize(MACHINES);
        assertThat(inv.all()).hasSize(MACHINES + MACHINES / 10);
        assertThat(inv.machine("n09999").orElseThrow().ssh().jump()).containsExactly("gw00000");
        assertThat(inv.machine("gn09990").orElseThrow().parent()).isEqualTo("n09990");
        assertThat(inv.group("some")).hasSize(3);
    }
}
