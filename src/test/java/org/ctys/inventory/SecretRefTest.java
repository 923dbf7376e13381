package org.ctys.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.ctys.exit.CtysException;
import org.ctys.exit.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretRefTest {

    @TempDir Path dir;

    private Path secret(String content, String mode) throws IOException {
        Path file = dir.resolve("bmc.pw");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void readsAPrivateFileWithoutItsTrailingNewline() throws IOException {
        Path file = secret("s3cret\n", "rw-------");
        assertThat(new String(SecretRef.file(file).read(), StandardCharsets.UTF_8)).isEqualTo("s3cret");
    }

    @Test
    void stripsOnlyOneNewline() throws IOException {
        assertThat(SecretRef.file(secret("pw\n\n", "r--------")).read()).isEqualTo("pw\n".getBytes(StandardCharsets.UTF_8));
        assertThat(SecretRef.file(secret("pw\r\n", "rw-------")).read()).isEqualTo("pw".getBytes(StandardCharsets.UTF_8));
        assertThat(SecretRef.file(secret("pw", "rw-------")).read()).isEqualTo("pw".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesAFileOthersCanRead() throws IOException {
        Path file = secret("s3cret\n", "rw-r--r--");
        assertThatThrownBy(() -> SecretRef.file(file).read())
                .isInstanceOf(CtysException.class)
                .hasMessageContaining("secret file " + file + " has mode 0644")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void refusesAFileTheGroupCanWrite() throws IOException {
        Path file = secret("s3cret", "rw--w----");
        assertThatThrownBy(() -> SecretRef.file(file).read()).hasMessageContaining("has mode 0620");
    }

    @Test
    void missingFileIsAConfigError() {
        Path file = dir.resolve("none.pw");
        assertThatThrownBy(() -> SecretRef.file(file).read())
                .isInstanceOf(CtysException.class).hasMessage("secret file " + file + " does not exist");
    }

    @Test
    void readsFromTheEnvironment() {
        assertThat(SecretRef.env("LAB01_BMC").read(Map.of("LAB01_BMC", "s3cret")))
                .isEqualTo("s3cret".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> SecretRef.env("LAB01_BMC").read(Map.of()))
                .isInstanceOf(CtysException.class)
                .hasMessage("environment variable LAB01_BMC holding a secret is not set");
    }

    @Test
    void toStringNamesTheLocationNeverTheSecret() throws IOException {
        Path file = secret("s3cret", "rw-------");
        SecretRef ref = SecretRef.file(file);
        ref.read();
        assertThat(ref.toString()).isEqualTo("file:" + file).doesNotContain("s3cret");
        assertThat(SecretRef.env("LAB01_BMC").toString()).isEqualTo("env:LAB01_BMC");
        BmcSettings bmc = new BmcSettings("b", 623, "admin", ref, 3, false);
        assertThat(bmc.toString()).contains("file:" + file).doesNotContain("s3cret");
    }

    @Test
    void refusesAFileOwnedByAnotherUserNamingTheOwner() throws IOException {
        Path file = secret("s3cret", "rw-------");
        Files.setAttribute(file, "unix:uid", 65534);
        assertThatThrownBy(() -> SecretRef.file(file).read())
                .isInstanceOfSatisfying(CtysException.class, e -> assertThat(e.status()).isEqualTo(ExitStatus.CONFIG))
                .hasMessageStartingWith("secret file " + file + " is owned by ")
                .hasMessageContaining("(uid 65534), not by you (uid 0) or root; whoever owns it chooses what ctys sends")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void readsAFileOwnedByRoot() throws IOException {
        Path file = secret("s3cret", "rw-------");
        Files.setAttribute(file, "unix:uid", 0);
        assertThat(SecretRef.file(file).read()).isEqualTo("s3cret".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesAFifoWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("bmc.pw");
        Fifo.make(fifo);
        try {
            assertTimeoutPreemptively(Fifo.HANG_GUARD, () -> assertThatThrownBy(() -> SecretRef.file(fifo).read())
                    .isInstanceOfSatisfying(CtysException.class, e -> assertThat(e.status()).isEqualTo(ExitStatus.CONFIG))
                    .hasMessage("secret file " + fifo + " is a FIFO (named pipe), not a regular file"));
        } finally {
            Fifo.release(fifo);
        }
    }

    @Test
    void refusesADirectoryAndATooLargeFile() throws IOException {
        assertThatThrownBy(() -> SecretRef.file(dir).read()).hasMessage("secret file " + dir + " is a directory, not a regular file");
        Path big = secret("x".repeat(65 * 1024), "rw-------");
        assertThatThrownBy(() -> SecretRef.file(big).read())
                .hasMessage("secret file " + big + " is 65.0 KiB, over the limit of 64 KiB");
    }
}
