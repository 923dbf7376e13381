package org.ctys.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory copy decides where ctys connects (here: a BMC's address), so a copy someone else
 * could have written is never used: ctys's result is the YAML's. Each test plants a copy whose
 * BMC address was changed, as another user with write access to the cache would.
 */
class InventoryCacheTrustTest {

    private static final int NOBODY = 65534;
    private static final String REAL_BMC = "10.9.0.11";
    private static final String FORGED_BMC = "10.6.6.66";

    @TempDir Path dir;
    private Path file;
    private Path cache;

    private static final String YAML = """
            machines:
              lab01:
                host: 10.0.0.11
                bmc: {address: 10.9.0.11, user: root, password-env: LAB01_BMC}
            # PAD
            """;

    @BeforeEach
    void writeInventory() throws IOException {
        file = dir.resolve("inventory.yaml");
        Files.writeString(file, YAML);
        cache = dir.resolve("home/.cache/ctys");
    }

    private Inventory load() {
        return InventoryLoader.load(file, Map.of(), dir.resolve("home"), dir.resolve("none"));
    }

    private String bmc() { return load().machine("lab01").orElseThrow().bmc().address(); }

    /** The copy ctys wrote, with the BMC address replaced by one of the same length. */
    private Path forgedCopy() throws IOException {
        assertThat(bmc()).isEqualTo(REAL_BMC);
        List<Path> copies;
        try (var s = Files.list(cache)) {
            copies = s.toList();
        }
        assertThat(copies).hasSize(1);
        Path copy = copies.get(0);
        byte[] b = Files.readAllBytes(copy);
        String latin = new String(b, StandardCharsets.ISO_8859_1);
        int at = latin.indexOf(REAL_BMC);
        assertThat(at).as("the copy holds the address").isPositive();
        System.arraycopy(FORGED_BMC.getBytes(StandardCharsets.ISO_8859_1), 0, b, at, FORGED_BMC.length());
        Files.write(copy, b);
        return copy;
    }

    private static void chown(Path p, int uid) throws IOException {
        Files.setAttribute(p, "unix:uid", uid);
    }

    @Test
    void aCopyOnlyTheUserCouldHaveWrittenIsUsed() throws IOException {
        // The baseline that makes the tests below mean something: the forged copy is read when it
        // sits where only this user can write, exactly as the inventory itself would be trusted.
        forgedCopy();
        assertThat(bmc()).isEqualTo(FORGED_BMC);
    }

    @Test
    void aCopyOwnedByAnotherUserIsNotUsedAndIsRebuilt() throws IOException {
        Path copy = forgedCopy();
        chown(copy, NOBODY);
        assertThat(bmc()).isEqualTo(REAL_BMC);
        assertThat(Files.getAttribute(copy, "unix:uid")).as("rewritten by this user").isEqualTo(Files.getAttribute(file, "unix:uid"));
        assertThat(bmc()).isEqualTo(REAL_BMC);
    }

    @Test
    void aCopyOthersCanWriteIsNotUsed() throws IOException {
        Path copy = forgedCopy();
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(bmc()).isEqualTo(REAL_BMC);
    }

    @Test
    void aCopyInADirectoryOthersCanWriteIsNotUsed() throws IOException {
        Path copy = forgedCopy();
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(bmc()).isEqualTo(REAL_BMC);
        assertThat(Files.readString(copy, StandardCharsets.ISO_8859_1)).as("nothing written there").contains(FORGED_BMC);
    }

    @Test
    void aCopyInADirectoryOfAnotherUserIsNotUsed() throws IOException {
        forgedCopy();
        chown(cache, NOBODY);
        assertThat(bmc()).isEqualTo(REAL_BMC);
    }

    @Test
    void aCopyBelowADirectoryOthersCouldRenameItOutOfIsNotUsed() throws IOException {
        forgedCopy();
        Path above = cache.getParent();
        Files.setPosixFilePermissions(above, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(bmc()).isEqualTo(REAL_BMC);
        // with the sticky bit (as /tmp has) nobody else can rename the user's directory away
        Files.setAttribute(above, "unix:mode", 01777);
        assertThat(bmc()).isEqualTo(FORGED_BMC);
        // but the owner of a directory above can, whatever its mode
        chown(above, NOBODY);
        assertThat(bmc()).isEqualTo(REAL_BMC);
    }

    @Test
    void theDirectoriesCtysCreatesArePrivate() throws IOException {
        load();
        for (Path p : List.of(dir.resolve("home"), dir.resolve("home/.cache"), cache)) {
            assertThat(Files.getAttribute(p, "unix:mode")).as(p.toString()).isEqualTo(040700);
        }
    }

    /**
     * A file changed to content of the same length and the same CRC-32C (the key of the copy
     * before it was SHA-256) must not be served from the copy of the old content.
     */
    @Test
    void contentWithTheSameLengthAndCrcIsParsedAgain() throws IOException {
        byte[] original = YAML.replace("# PAD", "# " + "A".repeat(64)).getBytes(StandardCharsets.US_ASCII);
        Files.write(file, original);
        assertThat(bmc()).isEqualTo(REAL_BMC);
        byte[] changed = new String(original, StandardCharsets.US_ASCII).replace(REAL_BMC, FORGED_BMC)
                .getBytes(StandardCharsets.US_ASCII);
        int pad = new String(changed, StandardCharsets.US_ASCII).indexOf("# A") + 2;
        Crc.collide(changed, pad, 64, crc(original));
        assertThat(crc(changed)).isEqualTo(crc(original));
        assertThat(changed).hasSameSizeAs(original).isNotEqualTo(original);
        Files.write(file, changed);
        assertThat(bmc()).isEqualTo(FORGED_BMC);
    }

    private static int crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    /** Makes a CRC-32C collision by choosing 'A' or 'B' at each of {@code n} positions. */
    private static final class Crc {
        static void collide(byte[] data, int from, int n, int target) {
            // CRC is affine over GF(2): flipping a fixed set of bits changes the CRC by a fixed value.
            int base = crc(data);
            int[] delta = new int[n];
            for (int i = 0; i < n; i++) {
                data[from + i] ^= 0x03; // 'A' <-> 'B'
                delta[i] = crc(data) ^ base;
                data[from + i] ^= 0x03;
            }
            long[] combo = new long[n]; // which positions make up each reduced row
            for (int i = 0; i < n; i++) combo[i] = 1L << i;
            int want = base ^ target;
            long chosen = 0;
            int row = 0;
            for (int bit = 31; bit >= 0; bit--) {
                int pivot = -1;
                for (int i = row; i < n; i++) if ((delta[i] >>> bit & 1) != 0) { pivot = i; break; }
                if (pivot < 0) continue;
                int d = delta[pivot]; delta[pivot] = delta[row]; delta[row] = d;
                long c = combo[pivot]; combo[pivot] = combo[row]; combo[row] = c;
                for (int i = 0; i < n; i++) {
                    if (i != row && (delta[i] >>> bit & 1) != 0) { delta[i] ^= delta[row]; combo[i] ^= combo[row]; }
                }
                if ((want >>> bit & 1) != 0) { want ^= delta[row]; chosen ^= combo[row]; }
                row++;
            }
            if (want != 0) throw new IllegalStateException("no collision with these positions");
            for (int i = 0; i < n; i++) if ((chosen >>> i & 1) != 0) data[from + i] ^= 0x03;
        }
    }
}
