package org.ctys.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ctys-inventory(5) is written by hand; this keeps it from forgetting a key the reader accepts. */
class InventoryManPageTest {

    @Test
    void everyKeyTheReaderAcceptsIsDocumented() throws Exception {
        String page = Files.readString(Path.of("man/ctys-inventory.5"));
        for (Schema schema : List.of(InventoryReader.TOP, Defaults.SCHEMA, MachineReader.MACHINE, MachineReader.GUEST,
                SettingsReader.WOL, SettingsReader.SSH, SettingsReader.BMC, SettingsReader.VNC, SettingsReader.SERIAL,
                InventoryReader.BOOT_SERVER)) {
            for (String key : schema.keys()) {
                assertThat(page).as("man/ctys-inventory.5 documents '" + key + "'")
                        .contains(".B " + key.replace("-", "\\-") + "\n");
            }
        }
    }

    @Test
    void theExampleIsAValidInventory() throws Exception {
        String page = Files.readString(Path.of("man/ctys-inventory.5"));
        String example = page.substring(page.indexOf(".SH EXAMPLE\n.nf\n") + ".SH EXAMPLE\n.nf\n".length(), page.indexOf(".fi\n"))
                .replace("\\-", "-");
        Path dir = Files.createTempDirectory("ctys-inventory-example");
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, example);
        Inventory inv = InventoryLoader.parse(file);
        assertThat(inv.machine("web1")).isPresent();
        assertThat(inv.group("rack2")).containsExactly("lab[01-02]", "@storage");
        assertThat(inv.bootServer()).isEqualTo(new BootServer("root", "boot.example", null, "/etc/ctys/bootd.yaml"));
    }
}
