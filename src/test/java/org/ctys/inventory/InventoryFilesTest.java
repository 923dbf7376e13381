package org.ctys.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.ctys.exit.CtysException;
import org.ctys.exit.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory file itself: what is refused before it is read (not a regular file, too large),
 * what is refused before YAML sees it (not UTF-8, a line too long), and what YAML content is
 * refused (binary values, values too long, nesting too deep). Every message names the file, the
 * line where there is one, and the limit or what is valid.
 */
class InventoryFilesTest {

    @TempDir Path dir;

    private Path file() { return dir.resolve("inventory.yaml"); }

    private Inventory load(Path file) {
        return InventoryLoader.load(file, Map.of(), dir.resolve("home"), dir.resolve("none"));
    }

    private AbstractThrowableAssert<?, ? extends Throwable> loading(Path file) {
        return assertThatThrownBy(() -> load(file))
                .isInstanceOfSatisfying(CtysException.class, e -> assertThat(e.status()).isEqualTo(ExitStatus.CONFIG));
    }

    private AbstractThrowableAssert<?, ? extends Throwable> loading(byte[] content) throws IOException {
        Files.write(file(), content);
        return loading(file());
    }

    private String at(int line) { return file() + ":" + line + ": "; }

    @Test
    void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
        Path fifo = dir.resolve("inventory.fifo");
        Fifo.make(fifo);
        try {
            assertTimeoutPreemptively(Fifo.HANG_GUARD, () -> loading(fifo)
                    .hasMessage("inventory file " + fifo + " is a FIFO (named pipe), not a regular file"));
        } finally {
            Fifo.release(fifo);
        }
    }

    @Test
    void aDirectoryOrDeviceIsRefused() {
        loading(dir).hasMessage("inventory file " + dir + " is a directory, not a regular file");
        loading(Path.of("/dev/zero")).hasMessage("inventory file /dev/zero is a character device, not a regular file");
    }

    @Test
    void anEmptyPathNamesNoFile() {
        loading(Path.of("")).hasMessage("inventory file '' (given by --inventory) names no file: give the inventory's path,"
                + " e.g. ~/.config/ctys/inventory.yaml");
    }

    @Test
    void permissionDeniedIsSaidInThoseWords() {
        Path f = Path.of("/srv/inventory.yaml");
        CtysException e = new ConfigFile(f, "inventory file").cannotRead(new AccessDeniedException(f.toString()));
        assertThat(e.getMessage()).isEqualTo("cannot read inventory file /srv/inventory.yaml: permission denied");
        assertThat(e.status()).isEqualTo(ExitStatus.CONFIG);
    }

    @Test
    void anInventoryOverTwoGibibytesIsRefusedBeforeItIsRead() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file().toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: takes no disk
        }
        loading(file()).hasMessage("inventory file " + file() + " is 3.0 GiB, over the limit of 64 MiB");
    }

    @Test
    void invalidUtf8NamesTheLineAndTheByte() throws IOException {
        byte[] yaml = "machines:\n  lab01:\n    host: caf\u00e9\n    mac: aa:bb:cc:dd:ee:01 # x\n".getBytes(StandardCharsets.UTF_8);
        yaml[yaml.length - 2] = (byte) 0xFF;
        loading(yaml).hasMessage(at(4) + "not valid UTF-8: byte 0xFF at byte offset " + (yaml.length - 2) + " (column 30)"
                + " does not start or continue a UTF-8 character; an inventory is UTF-8 text");
        loading("k: caf\u00e9".getBytes(StandardCharsets.ISO_8859_1)).hasMessageStartingWith(at(1) + "not valid UTF-8: byte 0xE9");
        loading("\uFEFFmachines:\n".getBytes(StandardCharsets.UTF_16LE)).hasMessage(at(1)
                + "not valid UTF-8: the file starts with a UTF-16 byte order mark; save it as UTF-8");
    }

    @Test
    void aUtf8ByteOrderMarkAndMultibyteTextAreFine() throws IOException {
        Files.write(file(), "\uFEFFmachines:\n  lab01:\n    guests: {web1: {console: \"virsh \u00e9\u4e2d\ud83d\ude00\"}}\n"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(load(file()).machine("web1").orElseThrow().console()).isEqualTo("virsh \u00e9\u4e2d\ud83d\ude00");
    }

    @Test
    void binaryValuesAreRefused() throws IOException {
        loading("machines:\n  lab01:\n    host: !!binary aGVsbG8=\n".getBytes(StandardCharsets.UTF_8))
                .hasMessage(at(3) + "binary values (!!binary) are not allowed in an inventory; write the value as text");
    }

    @Test
    void aFiftyMegabyteValueIsRefusedAtItsLine() throws IOException {
        byte[] yaml = new byte[50 << 20];
        byte[] head = "machines:\n  lab01:\n    host: ".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, yaml, 0, head.length);
        java.util.Arrays.fill(yaml, head.length, yaml.length - 1, (byte) 'x');
        yaml[yaml.length - 1] = '\n';
        // SnakeYAML's time grows with the square of a line's length (minutes at 50 MB); the guard only calls a hang a hang
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> loading(yaml).hasMessage(at(3)
                + "the line is longer than 64 KiB, the limit for one line of an inventory; write a long list one entry per line"));
    }

    @Test
    void aLongValueOnManyLinesIsRefused() throws IOException {
        StringBuilder yaml = new StringBuilder("machines:\n  lab01:\n    host: |\n");
        for (int i = 0; i < 1100; i++) yaml.append("      ").append("x".repeat(60)).append('\n');
        loading(yaml.toString().getBytes(StandardCharsets.US_ASCII)).hasMessage(at(3)
                + "a value of 67100 characters is longer than 64 KiB, the limit for one value of an inventory");
    }

    @Test
    void nestingDeeperThanThirtyTwoIsRefused() throws IOException {
        loading(("machines: " + "[".repeat(40) + "]".repeat(40) + "\n").getBytes(StandardCharsets.US_ASCII))
                .hasMessage(at(1) + "mappings and lists are nested more than 32 deep, the limit for an inventory");
        loading(("k:" + " [\n".repeat(200_000)).getBytes(StandardCharsets.US_ASCII))
                .hasMessageStartingWith(at(32) + "mappings and lists are nested more than 32 deep");
    }
}
