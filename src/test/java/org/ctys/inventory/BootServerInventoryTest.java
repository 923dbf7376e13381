package org.ctys.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The top-level boot-server: read, defaulted, and kept by the parsed copy of the inventory. */
class BootServerInventoryTest {
    @TempDir Path dir;

    @Test
    void readWithItsDefaultConfigAndKeptByTheParsedCopy() throws Exception {
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, "boot-server: {ssh: 'ops@[2001:db8::7]:2222'}\nmachines:\n  lab07: {}\n");
        Inventory first = InventoryLoader.parse(file);
        assertThat(first.bootServer()).isEqualTo(new BootServer("ops", "2001:db8::7", 2222, "/etc/ctys/bootd.yaml"));
        assertThat(first.bootServer().label()).isEqualTo("[2001:db8::7]:2222");

        // the second load reads the parsed copy, which keeps the boot server
        Inventory cached = InventoryLoader.load(file, java.util.Map.of(), dir.resolve("home"), dir.resolve("none"));
        Inventory again = InventoryLoader.load(file, java.util.Map.of(), dir.resolve("home"), dir.resolve("none"));
        assertThat(cached.bootServer()).isEqualTo(first.bootServer());
        assertThat(again.bootServer()).isEqualTo(first.bootServer());
        assertThat(Files.list(dir.resolve("home/.cache/ctys")).count()).isEqualTo(1);

        Files.writeString(file, "boot-server:\n  ssh: boot\n  config: /srv/b.yaml\n");
        assertThat(InventoryLoader.parse(file).bootServer()).isEqualTo(new BootServer(null, "boot", null, "/srv/b.yaml"));
        assertThat(InventoryLoader.parse(Files.writeString(dir.resolve("none.yaml"), "machines: {}\n")).bootServer()).isNull();
    }
}
