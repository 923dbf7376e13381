package org.ctys.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ctys.exit.CtysException;
import org.ctys.exit.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The top-level console-server: of the inventory, its forms, its mistakes named with file and line, and its parsed copy. */
class ConsoleServerInventoryTest {
    @TempDir Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void everyFormIsRead() throws IOException {
        assertThat(InventoryLoader.parse(write("console-server: consoles.example\n")).consoleServer())
                .isEqualTo(new ConsoleServer(null, "consoles.example", null));
        assertThat(InventoryLoader.parse(write("console-server: alice@consoles.example:7023\n")).consoleServer())
                .isEqualTo(new ConsoleServer("alice", "consoles.example", 7023));
        assertThat(InventoryLoader.parse(write("console-server: \"[2001:db8::7]:7022\"\n")).consoleServer())
                .isEqualTo(new ConsoleServer(null, "2001:db8::7", 7022));
        assertThat(InventoryLoader.parse(write("console-server: 2001:db8::7\n")).consoleServer())
                .isEqualTo(new ConsoleServer(null, "2001:db8::7", null));
        assertThat(InventoryLoader.parse(write("machines:\n  lab01: {}\n")).consoleServer()).isNull();
    }

    @Test
    void theDefaultPortIsTheConsoleServersOwn() {
        ConsoleServer s = ConsoleServer.parse("consoles.example");
        assertThat(s.portOrDefault()).isEqualTo(7022);
        assertThat(s.label()).isEqualTo("consoles.example:7022");
        assertThat(ConsoleServer.parse("[::1]:2222").label()).isEqualTo("[::1]:2222");
    }

    @Test
    void aBadValueIsAConfigurationErrorWithItsLine() throws IOException {
        for (String bad : new String[] {"consoles.example:0", "consoles.example:70000", "-x@consoles", "bad host!", "[::1]x"}) {
            Path file = write("machines:\n  lab01: {}\nconsole-server: \"" + bad + "\"\n");
            assertThatThrownBy(() -> InventoryLoader.parse(file)).as(bad).isInstanceOf(CtysException.class)
                    .hasMessageStartingWith(file + ":3: bad console-server '" + bad + "': ")
                    .satisfies(e -> assertThat(((CtysException) e).status()).isEqualTo(ExitStatus.CONFIG));
        }
    }

    @Test
    void theParsedCopyKeepsIt() throws IOException {
        Path file = write("console-server: ops@consoles.example:7023\nmachines:\n  consoles.example: {host: 10.0.0.9}\n");
        Inventory parsed = InventoryLoader.parse(file);
        Inventory first = InventoryLoader.load(file, Map.of(), dir.resolve("home"), dir.resolve("none"));
        Inventory second = InventoryLoader.load(file, Map.of(), dir.resolve("home"), dir.resolve("none"));
        assertThat(first).isEqualTo(parsed);
        assertThat(second.consoleServer()).isEqualTo(new ConsoleServer("ops", "consoles.example", 7023));
        assertThat(second).isEqualTo(parsed);
    }
}
